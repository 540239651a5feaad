package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The batched Verified Simplest OT: correct outputs, and each check catching the message it guards. */
class VsotTest {
    static final int SENDER = 1;
    static final int RECEIVER = 2;
    static final int COUNT = 256;
    static final Curve C = Curve.of(CurveId.SECP256K1);
    final SecureRandom rng = new SecureRandom();
    final byte[] sid = random(32);

    byte[] random(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** Both sides of a run that has reached round 3 (the sender holds challenges to send). */
    final class Run {
        final Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        final VsotReceiver r0 = VsotReceiver.start(sid, SENDER, COUNT, rng);
        final Step<VsotReceiver, Vsot.ChoicesMsg> r2;
        final Step<VsotSender, Vsot.ChallengesMsg> s3;

        Run() throws DklsAbort {
            r2 = VsotReceiver.choose(r0, s1.message(), rng);
            s3 = VsotSender.challenge(s1.state(), r2.message());
        }

        /** First index whose choice bit is {@code bit}. */
        int indexWithChoice(int bit) {
            for (int k = 0; k < COUNT; k++) {
                if (r0.choiceBit(k) == bit) {
                    return k;
                }
            }
            throw new AssertionError("no choice bit " + bit + " in " + COUNT + " random bits");
        }
    }

    @Test
    void receiverGetsExactlyThePadOfItsRandomChoice() throws DklsAbort {
        Run run = new Run();
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), run.s3.message());
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        OtReceiverOutput recv = VsotReceiver.finish(r4.state(), s5.message());
        OtSenderOutput send = s5.state();

        assertEquals(COUNT, send.count());
        assertEquals(COUNT, recv.count());
        int ones = 0;
        for (int k = 0; k < COUNT; k++) {
            int w = recv.choice(k);
            ones += w;
            assertArrayEquals(w == 0 ? send.pad0(k) : send.pad1(k), recv.pad(k), "OT " + k);
            assertFalse(Arrays.equals(w == 0 ? send.pad1(k) : send.pad0(k), recv.pad(k)), "OT " + k);
            assertFalse(Arrays.equals(send.pad0(k), send.pad1(k)));
        }
        assertTrue(ones > 0 && ones < COUNT, "random choice bits take both values: " + ones);
        assertTrue(run.s3.state().isDestroyed() && r4.state().isDestroyed(), "round states are wiped at the end");
    }

    @Test
    void aTamperedProofOfTheSenderKeyIsCaughtNamingTheSender() {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        byte[] z = s1.message().proof().response();
        z[31] ^= 1;
        Vsot.KeyMsg bad = new Vsot.KeyMsg(s1.message().publicKey(), new DlogProof(s1.message().proof().commitment(), z));
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), bad, rng));
        assertEquals(new DklsError.InvalidDlogProof(SENDER), e.error());
    }

    @Test
    void aSenderKeyWhoseDiscreteLogIsNotProvenIsCaught() {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        // another key B' with B's proof: the sender does not show it knows log B'
        Scalar x = C.randomScalar(rng);
        Vsot.KeyMsg bad = new Vsot.KeyMsg(C.encodePoint(C.mulBase(x)), s1.message().proof());
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), bad, rng));
        assertEquals(new DklsError.InvalidDlogProof(SENDER), e.error());
    }

    @Test
    void theProofIsBoundToTheSessionId() {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.choose(VsotReceiver.start(random(32), SENDER, COUNT, rng), s1.message(), rng));
        assertEquals(new DklsError.InvalidDlogProof(SENDER), e.error());
    }

    @Test
    void aSenderKeyThatIsNotAPointIsMalformed() {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        byte[] key = s1.message().publicKey();
        key[0] = 0x05;
        Vsot.KeyMsg bad = new Vsot.KeyMsg(key, s1.message().proof());
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), bad, rng));
        assertInstanceOf(DklsError.MalformedMessage.class, e.error());
        assertEquals(SENDER, e.culprit());
    }

    /** A sender that flips a challenge where ω = 0 passes its own check; the receiver's check 3 catches it. */
    @Test
    void aCorruptedChallengeIsCaughtByTheReceiverNamingTheSender() throws DklsAbort {
        Run run = new Run();
        int k = run.indexWithChoice(0);
        byte[] xi = run.s3.message().challenges();
        xi[k * 32 + 7] ^= 0x40;
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), new Vsot.ChallengesMsg(xi));
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        DklsAbort e = assertThrows(DklsAbort.class, () -> VsotReceiver.finish(r4.state(), s5.message()));
        assertEquals(new DklsError.WrongChallengeOpening(SENDER, k), e.error());
        assertTrue(r4.state().isDestroyed(), "an abort wipes the receiver");
    }

    /** Where ω = 1 the same flip changes the response: the sender learns ω, and the run aborts there. */
    @Test
    void aCorruptedChallengeWhereTheChoiceIsOneChangesTheResponse() throws DklsAbort {
        Run run = new Run();
        int k = run.indexWithChoice(1);
        byte[] xi = run.s3.message().challenges();
        xi[k * 32] ^= 1;
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), new Vsot.ChallengesMsg(xi));
        DklsAbort e = assertThrows(DklsAbort.class, () -> VsotSender.open(run.s3.state(), r4.message()));
        assertEquals(new DklsError.WrongChallengeResponse(RECEIVER, k), e.error());
    }

    @Test
    void aCorruptedOpeningOfTheUnchosenPadIsCaught() throws DklsAbort {
        Run run = new Run();
        int k = run.indexWithChoice(0);
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), run.s3.message());
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        byte[] openings = s5.message().openings();
        openings[(2 * k + 1) * 32 + 3] ^= 1; // H(ρ1_k), the pad the receiver did not choose
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.finish(r4.state(), new Vsot.OpeningsMsg(openings)));
        assertEquals(new DklsError.WrongChallengeOpening(SENDER, k), e.error());
    }

    @Test
    void aCorruptedOpeningOfTheChosenPadIsCaught() throws DklsAbort {
        Run run = new Run();
        int k = run.indexWithChoice(1);
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), run.s3.message());
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        byte[] openings = s5.message().openings();
        openings[(2 * k + 1) * 32] ^= 1; // H(ρ1_k), the chosen one
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.finish(r4.state(), new Vsot.OpeningsMsg(openings)));
        assertEquals(new DklsError.WrongChallengeOpening(SENDER, k), e.error());
    }

    /**
     * A sender whose challenge and openings agree with each other (ξ = H(a) ⊕ H(b), openings a, b) but not
     * with the pads: only the check that the opening of the chosen pad is the receiver's own H(ρω) sees it.
     */
    @Test
    void openingsThatMatchTheChallengeButNotThePadsAreCaught() throws DklsAbort {
        Run run = new Run();
        int k = run.indexWithChoice(0);
        byte[] a = random(32);
        byte[] b = random(32);
        byte[] xi = run.s3.message().challenges();
        System.arraycopy(Hash.xor(Vsot.h2(sid, k, a), Vsot.h2(sid, k, b)), 0, xi, k * 32, 32);
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), new Vsot.ChallengesMsg(xi));
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        byte[] openings = s5.message().openings();
        System.arraycopy(a, 0, openings, 2 * k * 32, 32);
        System.arraycopy(b, 0, openings, (2 * k + 1) * 32, 32);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotReceiver.finish(r4.state(), new Vsot.OpeningsMsg(openings)));
        assertEquals(new DklsError.WrongChallengeOpening(SENDER, k), e.error());
    }

    @Test
    void aCorruptedResponseIsCaughtBySenderNamingTheReceiver() throws DklsAbort {
        Run run = new Run();
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), run.s3.message());
        byte[] responses = r4.message().responses();
        responses[100 * 32 + 31] ^= (byte) 0x80;
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> VsotSender.open(run.s3.state(), new Vsot.ResponsesMsg(responses)));
        assertEquals(new DklsError.WrongChallengeResponse(RECEIVER, 100), e.error());
        assertTrue(run.s3.state().isDestroyed(), "an abort wipes the sender");
    }

    /** A receiver that sends a point it knows no opening for cannot answer the challenge. */
    @Test
    void aReceiverThatReplacesAnEncodedChoiceCannotAnswer() throws DklsAbort {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        Step<VsotReceiver, Vsot.ChoicesMsg> r2 =
                VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), s1.message(), rng);
        byte[] points = r2.message().points();
        System.arraycopy(C.encodePoint(C.mulBase(C.randomScalar(rng))), 0, points, 5 * 33, 33);
        Step<VsotSender, Vsot.ChallengesMsg> s3 = VsotSender.challenge(s1.state(), new Vsot.ChoicesMsg(points));
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(r2.state(), s3.message());
        DklsAbort e = assertThrows(DklsAbort.class, () -> VsotSender.open(s3.state(), r4.message()));
        assertEquals(new DklsError.WrongChallengeResponse(RECEIVER, 5), e.error());
    }

    @Test
    void theSenderKeyAsAnEncodedChoiceIsRefused() throws DklsAbort {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        Step<VsotReceiver, Vsot.ChoicesMsg> r2 =
                VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), s1.message(), rng);
        byte[] points = r2.message().points();
        System.arraycopy(s1.message().publicKey(), 0, points, 9 * 33, 33);
        DklsAbort e = assertThrows(DklsAbort.class, () -> VsotSender.challenge(s1.state(), new Vsot.ChoicesMsg(points)));
        assertEquals(new DklsError.DegenerateChoice(RECEIVER, 9), e.error());
    }

    @Test
    void encodedChoicesOfTheWrongCountOrNotPointsAreMalformed() throws DklsAbort {
        Step<VsotSender, Vsot.KeyMsg> s1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        Step<VsotReceiver, Vsot.ChoicesMsg> r2 =
                VsotReceiver.choose(VsotReceiver.start(sid, SENDER, COUNT, rng), s1.message(), rng);
        byte[] points = r2.message().points();
        DklsAbort shortMsg = assertThrows(DklsAbort.class,
                () -> VsotSender.challenge(s1.state(), new Vsot.ChoicesMsg(Arrays.copyOf(points, 33 * 255))));
        assertInstanceOf(DklsError.MalformedMessage.class, shortMsg.error());
        assertEquals(RECEIVER, shortMsg.culprit());

        Step<VsotSender, Vsot.KeyMsg> t1 = VsotSender.start(sid, RECEIVER, COUNT, rng);
        points[0] = 0x07;
        DklsAbort notPoint = assertThrows(DklsAbort.class,
                () -> VsotSender.challenge(t1.state(), new Vsot.ChoicesMsg(points)));
        assertInstanceOf(DklsError.MalformedMessage.class, notPoint.error());
        assertTrue(notPoint.getMessage().contains("encoded choice 0"), notPoint.getMessage());
    }

    @Test
    void aStateAnswersOneRoundOnly() throws DklsAbort {
        Run run = new Run();
        assertThrows(IllegalStateException.class, () -> VsotSender.challenge(run.s1.state(), run.r2.message()));
        assertThrows(IllegalStateException.class, () -> VsotReceiver.choose(run.r0, run.s1.message(), rng));
    }

    @Test
    void statesAndOutputsNeverPrintSecrets() throws DklsAbort {
        Run run = new Run();
        Step<VsotReceiver, Vsot.ResponsesMsg> r4 = VsotReceiver.respond(run.r2.state(), run.s3.message());
        Step<OtSenderOutput, Vsot.OpeningsMsg> s5 = VsotSender.open(run.s3.state(), r4.message());
        OtReceiverOutput recv = VsotReceiver.finish(r4.state(), s5.message());
        for (Object o : new Object[] {run.s1.state(), run.r0, s5.state(), recv, s5}) {
            assertTrue(o.toString().contains("REDACTED"), o.toString());
        }
        recv.destroy();
        assertThrows(IllegalStateException.class, () -> recv.pad(0));
    }
}
