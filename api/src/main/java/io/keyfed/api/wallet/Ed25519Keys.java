package io.keyfed.api.wallet;

/** Validation of ed25519 public keys (RFC 8032 encoding). */
public final class Ed25519Keys {
    public static final int KEY_SIZE = 32;

    private Ed25519Keys() {
    }

    /**
     * Requires a 32-byte canonical encoding of a point in the prime-order subgroup (which excludes the
     * identity and the other small-order points).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void requireValid(byte[] publicKey) {
        if (publicKey == null || publicKey.length != KEY_SIZE) {
            throw new IllegalArgumentException("ed25519 public key must be 32 bytes, got "
                    + (publicKey == null ? 0 : publicKey.length));
        }
        if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(publicKey, 0)) {
            throw new IllegalArgumentException(
                    "ed25519 public key is not a valid point (non-canonical, off the curve, or of small order)");
        }
    }
}
