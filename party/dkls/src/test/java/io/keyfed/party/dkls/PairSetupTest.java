package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The pairwise setup: two base-OT runs and the zero-sharing seed; its checks; the unusable mark. */
class PairSetupTest {
    static final int A = 1;
    static final int B = 3;
    final SecureRandom rng = new SecureRandom();
    final byte[] setupId = random(32);

    byte[] random(int n) {
        byte[] b = new byte[n];
        rng.nextBytes(b);
        return b;
    }

    /** Messages A sends, each passed through a tamper hook (identity unless a test changes one). */
    static final class Tamper {
        UnaryOperator<SetupMessages.Round1> r1 = UnaryOperator.identity();
        UnaryOperator<SetupMessages.Round3> r3 = UnaryOperator.identity();
        UnaryOperator<SetupMessages.Round5> r5 = UnaryOperator.identity();
        /** B's state, for hooks that aim at one of B's choice bits. */
        PairSetupState bState;
    }

    /** Runs the setup between A and B; returns {A's output, B's output}. Aborts propagate. */
    PairwiseSetupOutput[] run(byte[] idA, byte[] idB, Tamper t) throws DklsAbort {
        var a1 = PairSetup.start(idA, A, B, rng);
        var b1 = PairSetup.start(idB, B, A, rng);
        t.bState = b1.state();
        var a2 = PairSetup.round2(a1.state(), b1.message(), rng);
        var b2 = PairSetup.round2(b1.state(), t.r1.apply(a1.message()), rng);
        var a3 = PairSetup.round3(a2.state(), b2.message());
        var b3 = PairSetup.round3(b2.state(), a2.message());
        var a4 = PairSetup.round4(a3.state(), b3.message());
        var b4 = PairSetup.round4(b3.state(), t.r3.apply(a3.message()));
        var a5 = PairSetup.round5(a4.state(), b4.message());
        var b5 = PairSetup.round5(b4.state(), a4.message());
        PairwiseSetupOutput outB = PairSetup.finish(b5.state(), t.r5.apply(a5.message()));
        PairwiseSetupOutput outA = PairSetup.finish(a5.state(), b5.message());
        return new PairwiseSetupOutput[] {outA, outB};
    }

    PairwiseSetupOutput[] run() throws DklsAbort {
        return run(setupId, setupId, new Tamper());
    }

    /** Every OT of {@code sender → receiver} delivers the pad of the receiver's choice. */
    static void assertCorrelated(PairwiseSetupOutput sender, PairwiseSetupOutput receiver) throws DklsAbort {
        OtSenderOutput s = sender.asSender();
        OtReceiverOutput r = receiver.asReceiver();
        assertEquals(PairSetup.BASE_OTS, s.count());
        assertEquals(PairSetup.BASE_OTS, r.count());
        for (int k = 0; k < PairSetup.BASE_OTS; k++) {
            assertArrayEquals(r.choice(k) == 0 ? s.pad0(k) : s.pad1(k), r.pad(k), "OT " + k);
            assertFalse(Arrays.equals(r.choice(k) == 0 ? s.pad1(k) : s.pad0(k), r.pad(k)), "OT " + k);
        }
    }

    @Test
    void bothDirectionsCarryCorrectOtsAndBothSidesHoldTheSameZeroSeed() throws DklsAbort {
        PairwiseSetupOutput[] out = run();
        PairwiseSetupOutput a = out[0];
        PairwiseSetupOutput b = out[1];
        assertEquals(B, a.peer());
        assertEquals(A, b.peer());
        assertCorrelated(a, b);
        assertCorrelated(b, a);
        assertFalse(Arrays.equals(a.asSender().pad0(0), b.asSender().pad0(0)), "the two directions are distinct runs");
        assertArrayEquals(a.zeroSeed(), b.zeroSeed());
        assertEquals(32, a.zeroSeed().length);
        assertArrayEquals(setupId, a.setupId());
    }

    @Test
    void twoSetupsOfTheSamePairGiveFreshSeedsAndOts() throws DklsAbort {
        PairwiseSetupOutput first = run()[0];
        PairwiseSetupOutput second = run()[0];
        assertFalse(Arrays.equals(first.zeroSeed(), second.zeroSeed()));
        assertFalse(Arrays.equals(first.asSender().pad0(0), second.asSender().pad0(0)));
    }

    @Test
    void aSeedShareThatDoesNotOpenItsCommitmentIsCaughtNamingThePeer() {
        Tamper t = new Tamper();
        t.r5 = m -> {
            byte[] share = m.seedShare();
            share[0] ^= 1;
            return new SetupMessages.Round5(m.from(), m.to(), m.openings(), share);
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(setupId, setupId, t));
        assertEquals(new DklsError.BadSeedOpening(A), e.error());
    }

    @Test
    void aCommitmentOfTheWrongLengthIsMalformed() {
        Tamper t = new Tamper();
        t.r1 = m -> new SetupMessages.Round1(m.from(), m.to(), m.key(), new byte[31]);
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(setupId, setupId, t));
        assertInstanceOf(DklsError.MalformedMessage.class, e.error());
        assertEquals(A, e.culprit());
    }

    /**
     * A sends a wrong challenge where B chose 0 (so B's response, and A's own check, are unchanged); B's
     * check of A's openings catches it and names A. A malicious A would skip its own check anyway.
     */
    @Test
    void aCorruptedBaseOtChallengeIsCaughtInTheSetupNamingThePeer() {
        Tamper t = new Tamper();
        int[] aimed = new int[1];
        t.r3 = m -> {
            int k = 0;
            while (t.bState.receiver.choiceBit(k) != 0) {
                k++;
            }
            aimed[0] = k;
            byte[] xi = m.challenges().challenges();
            xi[32 * k + 11] ^= 1;
            return new SetupMessages.Round3(m.from(), m.to(), new Vsot.ChallengesMsg(xi));
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(setupId, setupId, t));
        assertEquals(new DklsError.WrongChallengeOpening(A, aimed[0]), e.error());
        assertTrue(t.bState.isDestroyed());
    }

    @Test
    void aSetupIdMismatchFailsTheKeyProof() {
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(setupId, random(32), new Tamper()));
        assertInstanceOf(DklsError.InvalidDlogProof.class, e.error());
    }

    @Test
    void aMessageFromAnotherPartyIsRefused() {
        Tamper t = new Tamper();
        t.r1 = m -> new SetupMessages.Round1(2, m.to(), m.key(), m.seedCommitment());
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(setupId, setupId, t));
        assertEquals(new DklsError.WrongPeer(2, A), e.error());
    }

    @Test
    void anAbortWipesTheState() throws DklsAbort {
        var a1 = PairSetup.start(setupId, A, B, rng);
        var b1 = PairSetup.start(setupId, B, A, rng);
        var bad = new SetupMessages.Round1(A, B, a1.message().key(), new byte[3]);
        assertThrows(DklsAbort.class, () -> PairSetup.round2(b1.state(), bad, rng));
        assertTrue(b1.state().isDestroyed());
        assertThrows(IllegalStateException.class, () -> PairSetup.round2(b1.state(), a1.message(), rng));
    }

    @Test
    void aRoundStateIsUsedOnce() throws DklsAbort {
        var a1 = PairSetup.start(setupId, A, B, rng);
        var b1 = PairSetup.start(setupId, B, A, rng);
        PairSetup.round2(a1.state(), b1.message(), rng);
        assertThrows(IllegalStateException.class, () -> PairSetup.round2(a1.state(), b1.message(), rng));
    }

    @Test
    void aSetupMarkedUnusableRefusesEveryUseNamingTheCulprit() throws DklsAbort {
        PairwiseSetupOutput a = run()[0];
        assertTrue(a.isUsable());
        a.markUnusable(B);
        assertFalse(a.isUsable());
        assertTrue(a.isDestroyed(), "marking wipes the secrets");
        for (var use : new org.junit.jupiter.api.function.Executable[] {a::asSender, a::asReceiver, a::zeroSeed,
                a::requireUsable}) {
            DklsAbort e = assertThrows(DklsAbort.class, use);
            assertEquals(new DklsError.SetupUnusable(B), e.error());
        }
        a.markUnusable(2); // a second mark keeps the first culprit
        assertEquals(new DklsError.SetupUnusable(B), assertThrows(DklsAbort.class, a::asSender).error());
        assertTrue(a.toString().contains("UNUSABLE"));
    }

    @Test
    void secretsNeverAppearInToString() throws DklsAbort {
        var a1 = PairSetup.start(setupId, A, B, rng);
        assertTrue(a1.state().toString().contains("REDACTED"));
        var r5 = new SetupMessages.Round5(A, B, new Vsot.OpeningsMsg(new byte[64]), new byte[] {0x5a, 0x5a});
        assertFalse(r5.toString().contains("90") || r5.toString().contains("5a"), r5.toString());
        PairwiseSetupOutput out = run()[0];
        assertTrue(out.toString().contains("REDACTED"), out.toString());
    }
}
