package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selective failure through a whole signing (issue #15): in a 2-of-3 federation whose key shares stay fixed,
 * signers 1 and 2 sign; signer 1, as the multiplication's sender toward 2 in round 2, uses another input in one
 * OT position J (x_1 + 1 instead of x_1 there, with η and μ computed for the honest inputs). Whether signer 2's
 * round 3 aborts then depends on one bit only: β_J, 2's choice bit of that OT in its randomised encoding of b.
 * Over 100 signings: the abort (a multiplication check naming signer 1) happens exactly when β_J = 1, β_J takes
 * both values, and at least one signing aborts; when β_J = 0 the signing completes with a valid signature.
 * The cheat is played from the test through package-private accessors ({@link RvoleSender#respondRows},
 * {@link RvoleReceiver#betaBit}, the round states' fields); the production code has no switch for it.
 */
class SelectiveFailureSigningTest {
    static final Curve C = Federation.C;
    static final SecureRandom RNG = new SecureRandom();
    static final int CHEATER = 1;
    static final int VICTIM = 2;
    static final int J = 123;

    @Test
    void oneCorruptedOtPositionAbortsTheVictimsRound3ExactlyWhenItsEncodingBitIsOne() throws DklsAbort {
        Federation fed = new Federation(2, 3, RNG);
        List<Integer> signers = List.of(CHEATER, VICTIM);
        int[] seen = new int[2];
        int aborts = 0;
        for (int run = 0; run < 100; run++) {
            byte[] digest = new byte[32];
            RNG.nextBytes(digest);
            Outcome o = signOnceWithCheat(fed, signers, digest);
            seen[o.betaJ]++;
            if (o.abort != null) {
                aborts++;
                assertEquals(new DklsError.MultiplicationCheck(CHEATER), o.abort.error(), "run " + run);
                assertFalse(o.victimSetup.isUsable(), "run " + run + ": the victim retired the pair's setup");
            } else {
                assertTrue(IndependentEcdsa.verify(C.encodePoint(fed.publicKey), digest, o.signature.r(),
                        o.signature.s()),
                        "run " + run + ": the signing completed with a valid signature");
            }
            assertEquals(o.betaJ == 1, o.abort != null, "run " + run + ": abort iff β_J = 1");
        }
        assertTrue(seen[0] > 0 && seen[1] > 0, "β_J took both values: " + seen[0] + " / " + seen[1]);
        assertTrue(aborts > 0, "at least one signing aborted");
    }

    /** What one signing did: the victim's bit, its abort (or null) and the signature (when it completed). */
    record Outcome(int betaJ, DklsAbort abort, SignMessages.EcdsaSignature signature,
            PairwiseSetupOutput victimSetup) {
    }

    /** One signing among {@code signers}, on fresh copies of the federation's setups, with the cheat. */
    static Outcome signOnceWithCheat(Federation fed, List<Integer> signers, byte[] digest) throws DklsAbort {
        byte[] sessionId = new byte[32];
        RNG.nextBytes(sessionId);
        Map<Integer, SignState> states = new HashMap<>();
        Map<Integer, Map<Integer, PairwiseSetupOutput>> setups = new HashMap<>();
        List<SignMessages.Commitment> commits = new ArrayList<>();
        List<SignMessages.Round1P2p> direct1 = new ArrayList<>();
        for (int i : signers) {
            Map<Integer, PairwiseSetupOutput> mine = new HashMap<>();
            for (var e : fed.setups.get(i).entrySet()) {
                mine.put(e.getKey(), e.getValue().copy());
            }
            setups.put(i, mine);
            var r1 = DklsSign.round1(i, fed.shares[i], fed.publicKey, signers, mine, sessionId, digest, RNG);
            states.put(i, r1.state());
            commits.add(r1.message().broadcast());
            direct1.addAll(r1.message().direct());
        }
        int betaJ = states.get(VICTIM).receivers.get(CHEATER).betaBit(J);

        List<SignMessages.Round2P2p> direct2 = new ArrayList<>();
        for (int i : signers) {
            var r2 = DklsSign.round2(states.get(i), commits.stream().filter(c -> c.from() != i).toList(),
                    direct1.stream().filter(m -> m.to() == i).toList(), RNG);
            for (SignMessages.Round2P2p m : r2.message()) {
                direct2.add(i == CHEATER && m.to() == VICTIM ? cheat(states.get(CHEATER), setups, direct1, m) : m);
            }
        }
        List<SignMessages.SignatureShare> shares3 = new ArrayList<>();
        DklsAbort abort = null;
        for (int i : signers) {
            try {
                shares3.add(DklsSign.round3(states.get(i), direct2.stream().filter(m -> m.to() == i).toList())
                        .message());
            } catch (DklsAbort e) {
                if (i != VICTIM) {
                    throw e;
                }
                abort = e;
            }
        }
        SignMessages.EcdsaSignature sig = null;
        if (abort == null) {
            for (int i : signers) {
                sig = DklsSign.finish(states.get(i), shares3);
            }
        } else {
            states.values().forEach(SignState::destroy);
        }
        return new Outcome(betaJ, abort, sig, setups.get(VICTIM).get(CHEATER));
    }

    /**
     * The cheater's round-2 message to the victim with its multiplication replaced: the same inputs (x, k) in
     * every OT but J, where x + 1 is used; η′ and μ are computed for (x, k). Its own shares c do not depend on
     * the inputs (they come from the OT extension), so the rest of the message stays as round 2 made it.
     */
    static SignMessages.Round2P2p cheat(SignState s, Map<Integer, Map<Integer, PairwiseSetupOutput>> setups,
            List<SignMessages.Round1P2p> direct1, SignMessages.Round2P2p honest) throws DklsAbort {
        SignMessages.Round1P2p extend = direct1.stream()
                .filter(m -> m.from() == VICTIM && m.to() == CHEATER).findFirst().orElseThrow();
        Scalar[] a = {s.x, s.k};
        Scalar[][] rows = new Scalar[Rvole.XI][];
        java.util.Arrays.fill(rows, a);
        rows[J] = new Scalar[] {C.scalarAdd(s.x, C.scalarOf(1)), s.k};
        var mult = RvoleSender.respondRows(setups.get(CHEATER).get(VICTIM), s.sessionId, extend.extend(), rows,
                a, RNG);
        mult.state().destroy();
        return new SignMessages.Round2P2p(honest.from(), honest.to(), mult.message(), honest.bigR(), honest.salt(),
                honest.bigX(), honest.gamma0(), honest.gamma1(), honest.commitmentsDigest());
    }
}
