package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import javax.security.auth.Destroyable;

/**
 * Participant i's long-lived secret signing share s_i = Σ_j f_j(i) (FROST KeyGen round 2, step 3).
 * Holds the scalar as its fixed-length encoding (32 bytes: big-endian for secp256k1, little-endian for
 * ed25519); {@link #destroy()} zeroes it. Seal {@link #toBytes()} in the HSM and wipe the returned copy.
 */
public final class SecretShare implements Destroyable {
    private final Curve curve;
    private final int identifier;
    private final SecretScalars encoded;

    /** Holds a copy of {@code value}; the caller destroys its own. */
    public SecretShare(Curve curve, int identifier, Scalar value) {
        this.curve = curve;
        this.identifier = identifier;
        this.encoded = SecretScalars.copyOf(value, "secret share destroyed");
    }

    /** Restores a share from its encoding (e.g. after unsealing); the input is copied, not retained. */
    public static SecretShare fromBytes(Curve curve, int identifier, byte[] encoded) throws InvalidEncodingException {
        Scalar v = curve.decodeScalar(encoded);
        try {
            return new SecretShare(curve, identifier, v);
        } finally {
            v.destroy();
        }
    }

    public Curve curve() {
        return curve;
    }

    /** Participant identifier i. */
    public int identifier() {
        return identifier;
    }

    /** A copy of the encoded scalar; the caller must wipe it. */
    public byte[] toBytes() {
        return curve.encodeScalar(encoded.value(0));
    }

    /**
     * s_i, for the curve's constant-time arithmetic (signing, k·G): the held scalar itself, destroyed with
     * this share; do not destroy or keep it.
     */
    public Scalar value() {
        return encoded.value(0);
    }

    @Override
    public void destroy() {
        encoded.wipe();
    }

    @Override
    public boolean isDestroyed() {
        return encoded.isDestroyed();
    }

    @Override
    public String toString() {
        return "SecretShare[participant=" + identifier + ", REDACTED]";
    }
}
