package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * TEST ONLY: a t-of-n federation in memory: Shamir shares of a random key from a trusted dealer (the
 * DKG's output has the same form: s_i = f(i), Y = f(0)·G), a pairwise setup for every pair, and a driver
 * for the three signing rounds with hooks to tamper with messages.
 */
final class Federation {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    final int n;
    final int t;
    final Scalar[] shares;
    final GroupElement publicKey;
    /** setups.get(i).get(j): i's setup with j. */
    final Map<Integer, Map<Integer, PairwiseSetupOutput>> setups = new HashMap<>();
    final SecureRandom rng;
    /** When set, round 1 is called with the DKG's own output types. */
    List<io.keyfed.party.dkg.DkgResult> dkg;

    Federation(int t, int n, SecureRandom rng) throws DklsAbort {
        this.t = t;
        this.n = n;
        this.rng = rng;
        Scalar[] coeffs = new Scalar[t];
        for (int k = 0; k < t; k++) {
            coeffs[k] = C.randomScalar(rng);
        }
        publicKey = C.mulBase(coeffs[0]);
        shares = new Scalar[n + 1];
        for (int i = 1; i <= n; i++) {
            Scalar acc = C.scalarOf(0);
            for (int k = t - 1; k >= 0; k--) { // Horner: f(i)
                acc = C.scalarMulAdd(acc, C.scalarOf(i), coeffs[k]);
            }
            shares[i] = acc;
            setups.put(i, new HashMap<>());
        }
        for (int i = 1; i <= n; i++) {
            for (int j = i + 1; j <= n; j++) {
                byte[] id = new byte[32];
                rng.nextBytes(id);
                PairwiseSetupOutput[] p = TestSetups.pair(rng, id, i, j);
                setups.get(i).put(j, p[0]);
                setups.get(j).put(i, p[1]);
            }
        }
    }

    /** A federation over the output of a real DKG run (LocalFederation), with a setup for every pair. */
    Federation(List<io.keyfed.party.dkg.DkgResult> results, SecureRandom rng) throws DklsAbort {
        this(results.get(0).publicKeyPackage().threshold(), results.size(), rng);
        this.dkg = results;
    }

    /** Hooks: each sees (and may replace) a message before delivery. */
    static final class Hooks {
        UnaryOperator<SignMessages.Round2P2p> round2 = UnaryOperator.identity();
        UnaryOperator<SignMessages.SignatureShare> round3 = UnaryOperator.identity();
        /** Replaces signer i's share s_i in round 1 when set. */
        Map<Integer, Scalar> shareOverride = new HashMap<>();
    }

    /** Runs the signing among {@code signers}; every signer combines and must get the same result. */
    SignMessages.EcdsaSignature sign(List<Integer> signers, byte[] digest, Hooks h) throws DklsAbort {
        byte[] sessionId = new byte[32];
        rng.nextBytes(sessionId);
        Map<Integer, SignState> states = new HashMap<>();
        List<SignMessages.Commitment> commits = new ArrayList<>();
        List<SignMessages.Round1P2p> direct1 = new ArrayList<>();
        for (int i : signers) {
            Scalar share = h.shareOverride.getOrDefault(i, shares[i]);
            var r1 = dkg == null
                    ? DklsSign.round1(i, share, publicKey, signers, setups.get(i), sessionId, digest, rng)
                    : DklsSign.round1(dkg.get(i - 1).secretShare(), dkg.get(0).publicKeyPackage(), signers,
                            setups.get(i), sessionId, digest, rng);
            states.put(i, r1.state());
            commits.add(r1.message().broadcast());
            direct1.addAll(r1.message().direct());
        }
        List<SignMessages.Round2P2p> direct2 = new ArrayList<>();
        for (int i : signers) {
            var r2 = DklsSign.round2(states.get(i), commits.stream().filter(c -> c.from() != i).toList(),
                    direct1.stream().filter(m -> m.to() == i).toList(), rng);
            r2.message().forEach(m -> direct2.add(h.round2.apply(m)));
        }
        List<SignMessages.SignatureShare> shares3 = new ArrayList<>();
        for (int i : signers) {
            var r3 = DklsSign.round3(states.get(i), direct2.stream().filter(m -> m.to() == i).toList());
            shares3.add(h.round3.apply(r3.message()));
        }
        SignMessages.EcdsaSignature first = null;
        for (int i : signers) {
            SignMessages.EcdsaSignature sig = DklsSign.finish(states.get(i), shares3);
            if (first != null && !(java.util.Arrays.equals(first.r(), sig.r())
                    && java.util.Arrays.equals(first.s(), sig.s()) && first.recoveryId() == sig.recoveryId())) {
                throw new AssertionError("signers combined different signatures");
            }
            first = sig;
        }
        return first;
    }

    /** Every subset of {1..n} of size t, sorted. */
    List<List<Integer>> subsets() {
        List<List<Integer>> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) == t) {
                List<Integer> s = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    if ((mask & (1 << (i - 1))) != 0) {
                        s.add(i);
                    }
                }
                out.add(s);
            }
        }
        return out;
    }
}
