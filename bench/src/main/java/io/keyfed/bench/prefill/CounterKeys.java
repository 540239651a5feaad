package io.keyfed.bench.prefill;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import io.keyfed.api.crypto.Secp256k1;

/**
 * The prefilled keys' public keys: valid secp256k1 points derived from a counter, key {@code i} being
 * {@code Q + i·G} for a base point {@code Q = q·G} of a random q drawn once per prefill. They come from no DKG and
 * nobody holds their private keys (q is dropped after Q is computed); they only have to be real, distinct curve
 * points, so that the ledger's key listing (and its wallet addresses) treats them as any other key. A run of
 * consecutive keys costs one point addition each.
 */
final class CounterKeys {
    private static final ECPoint G = Secp256k1.PARAMS.getG();
    private final ECPoint base;

    CounterKeys(SecureRandom random) {
        BigInteger q;
        do {
            q = new BigInteger(256, random);
        } while (q.signum() == 0 || q.compareTo(Secp256k1.N.shiftRight(1)) >= 0);
        // q < n/2 and i < 2^40 keep every q + i away from 0 mod n: no point is the identity.
        base = new FixedPointCombMultiplier().multiply(G, q).normalize();
    }

    /** The 33-byte compressed keys {@code first, first+1, ... first+count-1}. */
    byte[][] range(long first, int count) {
        if (first < 0 || first >= (1L << 40)) {
            throw new IllegalArgumentException("key counter out of range: " + first);
        }
        byte[][] out = new byte[count][];
        ECPoint p = first == 0 ? base : base.add(new FixedPointCombMultiplier().multiply(G, BigInteger.valueOf(first)));
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                p = p.add(G);
            }
            p = p.normalize();
            out[i] = p.getEncoded(true);
        }
        return out;
    }
}
