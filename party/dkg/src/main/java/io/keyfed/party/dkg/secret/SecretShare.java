package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import java.math.BigInteger;
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

    public SecretShare(Curve curve, int identifier, BigInteger value) {
        this.curve = curve;
        this.identifier = identifier;
        this.encoded = SecretScalars.of(curve, value, "secret share destroyed", "corrupt share");
    }

    /** Restores a share from its encoding (e.g. after unsealing); the input is copied, not retained. */
    public static SecretShare fromBytes(Curve curve, int identifier, byte[] encoded) throws InvalidEncodingException {
        BigInteger v = curve.decodeScalar(encoded);
        return new SecretShare(curve, identifier, v);
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
        return encoded.copy(0);
    }

    /** s_i as an integer (for arithmetic such as signing or test interpolation). */
    public BigInteger value() {
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
