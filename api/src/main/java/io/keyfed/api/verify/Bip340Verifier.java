package io.keyfed.api.verify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Secp256k1;

/**
 * BIP-340 Schnorr signature verification on secp256k1, written from the BIP's "Verification" algorithm.
 * Every input is public, so plain {@link BigInteger} and BouncyCastle point arithmetic (not constant time)
 * is used.
 */
public final class Bip340Verifier {
    private static final BigInteger P = Secp256k1.PARAMS.getCurve().getField().getCharacteristic();
    private static final BigInteger N = Secp256k1.N;
    private static final BigInteger SEVEN = BigInteger.valueOf(7);
    private static final BigInteger SQRT_EXPONENT = P.add(BigInteger.ONE).shiftRight(2);
    private static final byte[] CHALLENGE_TAG_HASH = sha256("BIP0340/challenge".getBytes(StandardCharsets.US_ASCII));

    private Bip340Verifier() {
    }

    /**
     * Verifies a BIP-340 signature {@code r || s} by the x-only key {@code xOnlyPublicKey32} over
     * {@code message}. BIP-340 allows messages of any length (its test vectors 15 to 18 have 0, 1, 17 and
     * 100 bytes), and so does this method; the ledger's rule that a message is a 32-byte hash is enforced
     * by its caller. Returns false, never throws, for any input that is not a valid signature.
     *
     * <p>Checks, in the BIP's order:
     * <ol>
     *   <li>Shape: the key is 32 bytes, the signature 64, the message not null.</li>
     *   <li>P = lift_x(key): the key as an integer x is below the field size p, x³ + 7 is a square mod p,
     *       and the point with that x and an even y is taken.</li>
     *   <li>r = sig[0:32] as an integer is below p; s = sig[32:64] is below the group order n.</li>
     *   <li>e = int(SHA-256(SHA-256("BIP0340/challenge") ‖ SHA-256("BIP0340/challenge") ‖ r ‖ x(P) ‖ m))
     *       mod n.</li>
     *   <li>R = s·G − e·P is not the point at infinity, has an even y, and x(R) = r.</li>
     * </ol>
     */
    public static boolean verify(byte[] xOnlyPublicKey32, byte[] message, byte[] signature64) {
        if (xOnlyPublicKey32 == null || xOnlyPublicKey32.length != 32 || message == null
                || signature64 == null || signature64.length != 64) {
            return false;
        }
        try {
            return verifyWellFormed(xOnlyPublicKey32, message, signature64);
        } catch (RuntimeException e) {
            // Every case the BIP rejects is returned as false above; BouncyCastle failing is a refusal too.
            return false;
        }
    }

    private static boolean verifyWellFormed(byte[] xOnlyPublicKey32, byte[] message, byte[] signature64) {
        ECPoint pk = liftX(new BigInteger(1, xOnlyPublicKey32));
        if (pk == null) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature64, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature64, 32, 64));
        if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
            return false;
        }
        BigInteger e = new BigInteger(1, challenge(Arrays.copyOfRange(signature64, 0, 32), xOnlyPublicKey32, message))
                .mod(N);
        ECPoint bigR = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.PARAMS.getG(), s, pk, N.subtract(e).mod(N))
                .normalize();
        if (bigR.isInfinity()) {
            return false;
        }
        BigInteger y = bigR.getAffineYCoord().toBigInteger();
        return !y.testBit(0) && bigR.getAffineXCoord().toBigInteger().equals(r);
    }

    /** lift_x from BIP-340: the point with this x and an even y, or null if there is none. */
    private static ECPoint liftX(BigInteger x) {
        if (x.compareTo(P) >= 0) {
            return null;
        }
        BigInteger c = x.modPow(BigInteger.valueOf(3), P).add(SEVEN).mod(P);
        BigInteger y = c.modPow(SQRT_EXPONENT, P);
        if (!y.modPow(BigInteger.TWO, P).equals(c)) {
            return null;
        }
        if (y.testBit(0)) {
            y = P.subtract(y);
        }
        ECCurve curve = Secp256k1.PARAMS.getCurve();
        ECPoint point = curve.validatePoint(x, y);
        return point.normalize();
    }

    private static byte[] challenge(byte[] r, byte[] px, byte[] message) {
        MessageDigest d = newSha256();
        d.update(CHALLENGE_TAG_HASH);
        d.update(CHALLENGE_TAG_HASH);
        d.update(r);
        d.update(px);
        d.update(message);
        return d.digest();
    }

    private static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
