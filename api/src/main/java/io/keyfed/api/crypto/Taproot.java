package io.keyfed.api.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The BIP-341 output key of a Taproot key: Q = P' + int(TaggedHash("TapTweak", x(P) || merkleRoot))·G,
 * where P' is P with its y made even. Without a script tree (BIP-86, what KeyFed's keys use) the tweak is
 * TaggedHash("TapTweak", x(P)). Keys go in as 33-byte compressed points; the output is x(Q), 32 bytes.
 */
public final class Taproot {
    private static final byte[] TAP_TWEAK = Hashes.sha256("TapTweak".getBytes(StandardCharsets.US_ASCII));

    private Taproot() {
    }

    /** x(Q) for key-path-only spending (BIP-86). */
    public static byte[] outputKey(byte[] compressedP33) {
        return tweak(compressedP33, new byte[0]);
    }

    /** x(Q) for a key with a script tree whose merkle root is {@code merkleRoot32}. */
    public static byte[] outputKey(byte[] compressedP33, byte[] merkleRoot32) {
        if (merkleRoot32 == null || merkleRoot32.length != 32) {
            throw new IllegalArgumentException("taproot merkle root must be 32 bytes");
        }
        return tweak(compressedP33, merkleRoot32);
    }

    private static byte[] tweak(byte[] compressedP33, byte[] merkleRoot) {
        ECPoint p = Secp256k1.decodePublicKey(compressedP33);
        byte[] xP = Arrays.copyOfRange(compressedP33, 1, 33);
        // lift_x(x(P)): the point with this x and even y.
        ECPoint even = p.getAffineYCoord().testBitZero() ? p.negate() : p;
        BigInteger t = new BigInteger(1, Hashes.sha256(TAP_TWEAK, TAP_TWEAK, xP, merkleRoot));
        if (t.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("taproot tweak is not below the group order");
        }
        ECPoint q = even.add(new FixedPointCombMultiplier().multiply(Secp256k1.PARAMS.getG(), t)).normalize();
        if (q.isInfinity()) {
            throw new IllegalArgumentException("taproot output key is the point at infinity");
        }
        return q.getAffineXCoord().getEncoded();
    }
}
