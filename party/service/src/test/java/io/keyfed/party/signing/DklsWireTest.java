package io.keyfed.party.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyfed.api.verify.EcdsaVerifier;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkls.DklsSign;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;
import io.keyfed.party.dkls.Step;
import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.PairSetupState;
import io.keyfed.party.dkls.SetupMessages;
import io.keyfed.party.session.EnvelopeHeaders;

/**
 * The DKLs23 signing payloads ({@link DklsWire}) and sids ({@link DklsRound}): a 2-of-2 signing whose every round
 * message goes through encode and decode still gives a signature the ledger's check accepts, the sizes the session
 * plans with are the real ones, and malformed payloads are refused naming the problem.
 */
class DklsWireTest {
    private static final Curve C = Curve.of(CurveId.SECP256K1);
    private static final SecureRandom RNG = new SecureRandom();

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    /** A pairwise setup between identifiers a and b, both sides here: {a's, b's}. */
    private static PairwiseSetupOutput[] setupInMemory(int a, int b) throws Exception {
        byte[] setupId = random(32);
        Step<PairSetupState, SetupMessages.Round1> a1 = PairSetup.start(setupId, a, b, RNG);
        Step<PairSetupState, SetupMessages.Round1> b1 = PairSetup.start(setupId, b, a, RNG);
        Step<PairSetupState, SetupMessages.Round2> a2 = PairSetup.round2(a1.state(), b1.message(), RNG);
        Step<PairSetupState, SetupMessages.Round2> b2 = PairSetup.round2(b1.state(), a1.message(), RNG);
        Step<PairSetupState, SetupMessages.Round3> a3 = PairSetup.round3(a2.state(), b2.message());
        Step<PairSetupState, SetupMessages.Round3> b3 = PairSetup.round3(b2.state(), a2.message());
        Step<PairSetupState, SetupMessages.Round4> a4 = PairSetup.round4(a3.state(), b3.message());
        Step<PairSetupState, SetupMessages.Round4> b4 = PairSetup.round4(b3.state(), a3.message());
        Step<PairSetupState, SetupMessages.Round5> a5 = PairSetup.round5(a4.state(), b4.message());
        Step<PairSetupState, SetupMessages.Round5> b5 = PairSetup.round5(b4.state(), a4.message());
        return new PairwiseSetupOutput[] { PairSetup.finish(a5.state(), b5.message()),
                PairSetup.finish(b5.state(), a5.message()) };
    }

    @Test
    void aSigningWhoseMessagesGoThroughTheWireGivesALowSSignatureUnderTheKey() throws Exception {
        Scalar x = C.randomScalar(RNG);
        Scalar a = C.randomScalar(RNG);
        Scalar s1 = C.scalarMulAdd(a, C.scalarOf(1), x);
        Scalar s2 = C.scalarMulAdd(a, C.scalarOf(2), x);
        GroupElement y = C.mulBase(x);
        PairwiseSetupOutput[] setups = setupInMemory(1, 2);
        byte[] sid = random(32);
        byte[] planSid = random(32);
        byte[] digest = random(32);
        List<Integer> signers = List.of(1, 2);
        Step<SignState, SignMessages.Round1> a1 = DklsSign.round1(1, s1, y, signers, Map.of(2, setups[0]), sid,
                digest, RNG);
        Step<SignState, SignMessages.Round1> b1 = DklsSign.round1(2, s2, y, signers, Map.of(1, setups[1]), sid,
                digest, RNG);

        byte[] toB = DklsWire.round1(0, planSid, List.of(a1.message().broadcast()), a1.message().direct());
        byte[] toA = DklsWire.round1(0, planSid, List.of(b1.message().broadcast()), b1.message().direct());
        List<SignMessages.Commitment> cAtB = new ArrayList<>();
        List<SignMessages.Round1P2p> dAtB = new ArrayList<>();
        List<SignMessages.Commitment> cAtA = new ArrayList<>();
        List<SignMessages.Round1P2p> dAtA = new ArrayList<>();
        assertArrayEquals(planSid, DklsWire.decodeRound1(toB, 1, 1, 2, cAtB, dAtB).sid());
        DklsWire.decodeRound1(toA, 1, 2, 1, cAtA, dAtA);

        List<SignMessages.Round2P2p> a2 = DklsSign.round2(a1.state(), cAtA, dAtA, RNG).message();
        List<SignMessages.Round2P2p> b2 = DklsSign.round2(b1.state(), cAtB, dAtB, RNG).message();
        byte[] r2toB = DklsWire.round2(0, planSid, a2);
        byte[] r2toA = DklsWire.round2(0, planSid, b2);
        assertEquals(DklsWire.round2Bytes(1), r2toB.length, "the size the session plans with is the real one");
        List<SignMessages.Round2P2p> inB = new ArrayList<>();
        List<SignMessages.Round2P2p> inA = new ArrayList<>();
        DklsWire.decodeRound2(r2toB, 1, 1, 2, inB);
        DklsWire.decodeRound2(r2toA, 1, 2, 1, inA);

        SignMessages.SignatureShare a3 = DklsSign.round3(a1.state(), inA).message();
        SignMessages.SignatureShare b3 = DklsSign.round3(b1.state(), inB).message();
        List<SignMessages.SignatureShare> atA = new ArrayList<>(List.of(a3));
        DklsWire.decodeRound3(DklsWire.round3(0, planSid, List.of(b3)), 1, 2, atA);
        SignMessages.EcdsaSignature sig = DklsSign.finish(a1.state(), atA);
        byte[] rs = new byte[64];
        System.arraycopy(sig.r(), 0, rs, 0, 32);
        System.arraycopy(sig.s(), 0, rs, 32, 32);

        List<byte[]> decoded = DklsWire.decodeResult(DklsWire.result(0, List.of(rs)), 1);
        assertTrue(EcdsaVerifier.verifyLowS(C.encodePoint(y), digest, decoded.get(0)),
                "the ledger's check accepts the signature");
        setups[0].destroy();
        setups[1].destroy();
    }

    @Test
    void theMostDigestsFitInOneEnvelopeAndOneMoreDoesNot() {
        // ClusterEcdsaSigningTest signs maxDigests() digests over the real transport and sees one more refused.
        int most = DklsWire.maxDigests();
        assertTrue(most >= 4, "at least a few digests per request: " + most);
        assertTrue(DklsWire.round2Bytes(most) <= EnvelopeHeaders.MAX_DKLS_PAYLOAD_BYTES);
        assertFalse(DklsWire.round2Bytes(most + 1) <= EnvelopeHeaders.MAX_DKLS_PAYLOAD_BYTES);
    }

    @Test
    void aPlanRoundTripsAndAMalformedOneIsRefusedNamingTheProblem() throws Exception {
        byte[] hash = random(32);
        List<byte[]> contributions = List.of(random(32), random(32));
        byte[] payload = DklsWire.plan(3, hash, new int[] { 1, 3 }, contributions);
        DklsWire.Plan p = DklsWire.decodePlan(payload, 3);
        assertEquals(3, p.attempt());
        assertArrayEquals(hash, p.messagesHash());
        assertArrayEquals(new int[] { 1, 3 }, p.signers());
        assertArrayEquals(contributions.get(1), p.contributions().get(1));

        byte[] unsorted = DklsWire.plan(3, hash, new int[] { 3, 1 }, contributions);
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> DklsWire.decodePlan(unsorted, 3)).getMessage()
                .contains("ascending"));
        assertThrows(SigningWire.Malformed.class, () -> DklsWire.decodePlan(payload, 2)); // id 3 outside 1..2
        assertTrue(assertThrows(SigningWire.Malformed.class,
                () -> DklsWire.decodePlan(Arrays.copyOf(payload, payload.length - 1), 3)).getMessage()
                .contains("truncated"));
        assertTrue(assertThrows(SigningWire.Malformed.class,
                () -> DklsWire.decodePlan(Arrays.copyOf(payload, payload.length + 1), 3)).getMessage()
                .contains("after the end"));
        assertThrows(SigningWire.Malformed.class, () -> DklsWire.decodeReady(new byte[35]));
        assertArrayEquals(contributions.get(0), DklsWire.decodeReady(DklsWire.ready(0, contributions.get(0))));
    }

    @Test
    void roundMessagesWithAnotherCountOrLengthAreRefused() throws Exception {
        byte[] sid = random(32);
        List<SignMessages.SignatureShare> two = List.of(new SignMessages.SignatureShare(1, random(32), random(32)),
                new SignMessages.SignatureShare(1, random(32), random(32)));
        byte[] payload = DklsWire.round3(1, sid, two);
        assertTrue(assertThrows(SigningWire.Malformed.class,
                () -> DklsWire.decodeRound3(payload, 1, 1, new ArrayList<>())).getMessage()
                .contains("2 messages instead of the request's 1"));
        assertThrows(SigningWire.Malformed.class,
                () -> DklsWire.decodeRound3(Arrays.copyOf(payload, payload.length - 3), 2, 1, new ArrayList<>()));
        byte[] huge = Arrays.copyOf(DklsWire.round3(1, sid, List.of()), 4 + 32 + 2 + 4);
        huge[37] = 1; // m = 1
        huge[38] = 0x7f; // a τ length far beyond the payload
        assertTrue(assertThrows(SigningWire.Malformed.class,
                () -> DklsWire.decodeRound2(huge, 1, 1, 2, new ArrayList<>())).getMessage().contains("truncated"));
        assertThrows(SigningWire.Malformed.class, () -> DklsWire.decodeResult(new byte[4 + 2 + 63], 1));
    }

    @Test
    void theSidIsFreshForEveryAttemptContributionAndMessage() {
        byte[] session = random(32);
        List<byte[]> contributions = List.of(random(32), random(32));
        DklsWire.Plan p = new DklsWire.Plan(0, random(32), new int[] { 1, 2 }, contributions);
        byte[] sid = DklsRound.sid(7, session, p);
        assertArrayEquals(sid, DklsRound.sid(7, session, p), "deterministic: every signer derives the same");
        assertFalse(Arrays.equals(sid, DklsRound.sid(8, session, p)), "another request");
        assertFalse(Arrays.equals(sid, DklsRound.sid(7, session,
                new DklsWire.Plan(1, p.messagesHash(), p.signers(), contributions))), "another attempt");
        assertFalse(Arrays.equals(sid, DklsRound.sid(7, session,
                new DklsWire.Plan(0, p.messagesHash(), p.signers(), List.of(contributions.get(0), random(32))))),
                "another contribution");
        assertFalse(Arrays.equals(sid, DklsRound.sid(7, session,
                new DklsWire.Plan(0, p.messagesHash(), new int[] { 1, 3 }, contributions))), "another signer set");
        assertFalse(Arrays.equals(DklsRound.messageSid(sid, 0), DklsRound.messageSid(sid, 1)), "per message");
    }
}
