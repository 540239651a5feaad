package io.keyfed.party.frost;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;

/**
 * TEST ONLY: the y parities of a Taproot key P and of its BIP-86 output key Q, computed with BouncyCastle
 * directly (no engine code), to select keys that exercise each branch of the engine's even-y handling.
 */
final class IndependentTaproot {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");

    private IndependentTaproot() {
    }

    static boolean pOdd(byte[] compressedP) {
        return compressedP[0] == 0x03;
    }

    static boolean qOdd(byte[] compressedP) throws Exception {
        ECPoint p = PARAMS.getCurve().decodePoint(compressedP).normalize();
        ECPoint even = p.getAffineYCoord().testBitZero() ? p.negate() : p;
        byte[] tag = MessageDigest.getInstance("SHA-256").digest("TapTweak".getBytes(StandardCharsets.US_ASCII));
        MessageDigest h = MessageDigest.getInstance("SHA-256");
        h.update(tag);
        h.update(tag);
        h.update(Arrays.copyOfRange(compressedP, 1, 33));
        BigInteger t = new BigInteger(1, h.digest());
        ECPoint q = even.add(PARAMS.getG().multiply(t)).normalize();
        return q.getAffineYCoord().testBitZero();
    }
}
