package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;

/**
 * A verified FROST signature: the group commitment R, z, and the ciphersuite's encoding ({@link #bytes()}:
 * Ed25519 R || z, 64 bytes; secp256k1 R || z, 65 bytes; BIP-340 x(R) || z, 64 bytes), together with the
 * encoded key it verifies under.
 */
public final class Signature {
    private final GroupElement r;
    private final Scalar z;
    private final byte[] bytes;
    private final byte[] verifyingKey;

    Signature(GroupElement r, Scalar z, byte[] bytes, byte[] verifyingKey) {
        this.r = r;
        this.z = z;
        this.bytes = bytes;
        this.verifyingKey = verifyingKey;
    }

    public GroupElement r() {
        return r;
    }

    public Scalar z() {
        return z;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key a verifier uses: ed25519 32 bytes, secp256k1 33 bytes, BIP-340 x-only 32 bytes (Q for Taproot). */
    public byte[] verifyingKey() {
        return verifyingKey.clone();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
