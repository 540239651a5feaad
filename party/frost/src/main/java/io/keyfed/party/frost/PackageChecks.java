package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import java.util.List;

/**
 * The checks every round makes on a signing package before using it: at least t commitments, identifiers
 * in 1..n, strictly increasing (sorted and distinct), and every commitment a non-identity point of the
 * suite's curve. Structural faults are {@link FrostError#UNATTRIBUTABLE} (the assembler is to blame); a bad
 * point names the participant it claims to come from.
 */
final class PackageChecks {
    private PackageChecks() {
    }

    static void check(Ciphersuite cs, SigningPackage pkg, int threshold, int n) throws FrostAbort {
        List<SigningCommitments> list = pkg.commitments();
        if (list.size() < threshold) {
            throw new FrostAbort(new FrostError.TooFewSigners(FrostError.UNATTRIBUTABLE, threshold, list.size()));
        }
        int previous = 0;
        for (SigningCommitments c : list) {
            int id = c.identifier();
            if (id < 1 || id > n) {
                throw new FrostAbort(new FrostError.UnknownSigner(id));
            }
            if (id <= previous) {
                throw new FrostAbort(new FrostError.NotSortedOrDistinct(FrostError.UNATTRIBUTABLE, id));
            }
            previous = id;
            point(cs.curve(), id, c.hiding(), "hiding");
            point(cs.curve(), id, c.binding(), "binding");
        }
    }

    private static void point(Curve curve, int id, GroupElement p, String which) throws FrostAbort {
        if (p.curveId() != curve.id()) {
            throw new FrostAbort(new FrostError.InvalidCommitment(id, which + ": not a " + curve.id() + " point"));
        }
        if (curve.isIdentity(p)) {
            throw new FrostAbort(new FrostError.InvalidCommitment(id, which + ": the identity"));
        }
    }
}
