package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;

/** The verification equation z·G == R + c·Y, as z·G + (−c)·Y == R in one public double multiply. */
final class SchnorrCheck {
    private SchnorrCheck() {
    }

    /** All arguments public (a signature, a signature share's check, a verification share). */
    static boolean holds(Curve curve, GroupElement r, Scalar z, GroupElement y, Scalar c) {
        return curve.mulBaseAddPublic(z, y, curve.scalarNegate(c)).equals(r);
    }
}
