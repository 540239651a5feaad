package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;

/**
 * The public affine map a ciphersuite applies to the DKG's key before signing: s -> a·s + b for secret
 * shares, Y -> a·Y + b·G for the group key and verification shares (a = ±1, b = 0 or ±τ). Being affine
 * with a sum of Lagrange coefficients of 1, it commutes with Shamir sharing. It always yields new objects:
 * the stored share and package are never modified.
 */
final class KeyAdjustment {
    static final KeyAdjustment NONE = new KeyAdjustment(null, null);

    private final Scalar multiplier;
    private final Scalar addend;

    /** a and b are public (derived from the public group key). */
    KeyAdjustment(Scalar multiplier, Scalar addend) {
        this.multiplier = multiplier;
        this.addend = addend;
    }

    static KeyAdjustment negation(Curve curve) {
        return new KeyAdjustment(curve.scalarNegate(curve.scalarOf(1)), curve.scalarOf(0));
    }

    boolean isIdentity() {
        return multiplier == null;
    }

    /** a·s + b as a new scalar, constant time; the caller destroys it. */
    Scalar applySecret(Curve curve, Scalar s) {
        return isIdentity() ? s.copy() : curve.scalarMulAdd(multiplier, s, addend);
    }

    /** a·Y + b·G (public Y; variable time). */
    GroupElement applyPublic(Curve curve, GroupElement y) {
        return isIdentity() ? y : curve.mulBaseAddPublic(addend, y, multiplier);
    }
}
