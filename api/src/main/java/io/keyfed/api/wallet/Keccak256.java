package io.keyfed.api.wallet;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 as Ethereum uses it (original Keccak padding, not SHA3-256). */
public final class Keccak256 {
    private Keccak256() {
    }

    public static byte[] hash(byte[] data) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
