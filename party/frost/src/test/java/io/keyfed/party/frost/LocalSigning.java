package io.keyfed.party.frost;

import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** TEST ONLY: one signing session in memory, every round by the engine, for the given signers (sorted). */
final class LocalSigning {
    private LocalSigning() {
    }

    static Signature sign(Ciphersuite cs, List<SecretShare> shares, PublicKeyPackage pub, int[] signers,
                          byte[] message, SecureRandom rng) throws FrostAbort {
        List<Frost.Round1> round1 = new ArrayList<>();
        List<SigningCommitments> commitments = new ArrayList<>();
        for (int i : signers) {
            Frost.Round1 r1 = Frost.commit(cs, shares.get(i - 1), rng);
            round1.add(r1);
            commitments.add(r1.commitments());
        }
        SigningPackage pkg = new SigningPackage(commitments, message);
        List<SignatureShare> sigShares = new ArrayList<>();
        for (int k = 0; k < signers.length; k++) {
            sigShares.add(Frost.sign(cs, pkg, round1.get(k).nonces(), KeyPackage.of(shares.get(signers[k] - 1), pub)));
        }
        return Frost.aggregate(cs, pkg, sigShares, pub);
    }

    /** Every subset of size k of 1..n, each sorted, in lexicographic order. */
    static List<int[]> subsets(int n, int k) {
        List<int[]> out = new ArrayList<>();
        collect(new int[k], 0, 1, n, out);
        return out;
    }

    private static void collect(int[] cur, int at, int from, int n, List<int[]> out) {
        if (at == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int v = from; v <= n; v++) {
            cur[at] = v;
            collect(cur, at + 1, v + 1, n, out);
        }
    }
}
