package io.keyfed.api.verify;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Secp256k1;

/**
 * secp256k1 ECDSA verification over a 32-byte digest (the caller hashes), with the signature as 64 bytes
 * {@code r || s} (big-endian, 32 bytes each) and the key as a 33-byte compressed point. The arithmetic is
 * BouncyCastle's {@link ECDSASigner}; all inputs are public.
 */
public final class EcdsaVerifier {
    private static final BigInteger N = Secp256k1.N;
    private static final BigInteger HALF_N = N.shiftRight(1);

    private EcdsaVerifier() {
    }

    /**
     * {@link #verifyAnyS} and, in addition, s ≤ n/2 (rounded down): of the two valid signatures (r, s) and
     * (r, n − s) only the low one is accepted, so a signature cannot be malleated into a second valid one.
     * Returns false, never throws, for any input that is not a valid low-S signature.
     */
    public static boolean verifyLowS(byte[] compressedPublicKey33, byte[] digest32, byte[] signature64) {
        if (signature64 == null || signature64.length != 64) {
            return false;
        }
        if (new BigInteger(1, Arrays.copyOfRange(signature64, 32, 64)).compareTo(HALF_N) > 0) {
            return false;
        }
        return verifyAnyS(compressedPublicKey33, digest32, signature64);
    }

    /**
     * Standard ECDSA verification (SEC 1 section 4.1.4), both s and n − s accepted. Returns false, never
     * throws, for any input that is not a valid signature. Checks:
     * <ol>
     *   <li>Shape: key 33 bytes, digest 32, signature 64.</li>
     *   <li>The key ({@link Secp256k1#decodePublicKey}): prefix 0x02 or 0x03, x below the field size, a
     *       point on the curve, not the point at infinity.</li>
     *   <li>1 ≤ r ≤ n − 1 and 1 ≤ s ≤ n − 1 (here; BouncyCastle checks it again).</li>
     *   <li>The equation (BouncyCastle {@link ECDSASigner#verifySignature}): with e the digest as a
     *       256-bit integer, R = (e·s⁻¹)·G + (r·s⁻¹)·Q is not infinity and x(R) mod n = r.</li>
     * </ol>
     */
    public static boolean verifyAnyS(byte[] compressedPublicKey33, byte[] digest32, byte[] signature64) {
        if (compressedPublicKey33 == null || compressedPublicKey33.length != 33 || digest32 == null
                || digest32.length != 32 || signature64 == null || signature64.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature64, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature64, 32, 64));
        if (!inScalarRange(r) || !inScalarRange(s)) {
            return false;
        }
        ECPoint q;
        try {
            q = Secp256k1.decodePublicKey(compressedPublicKey33);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, Secp256k1.DOMAIN));
        return verifier.verifySignature(digest32, r, s);
    }

    /**
     * The recovery id v (0..3) of a signature that {@link #verifyAnyS} accepts: the nonce point R has
     * x = r + (v ≥ 2 ? n : 0) and y odd iff v is odd, so that Q = r⁻¹·(s·R − e·G) gives the key back (the
     * convention of Bitcoin's compact signatures and Ethereum's {@code v − 27}). Read off the R of the
     * verification equation itself, R = (e·s⁻¹)·G + (r·s⁻¹)·Q (one double multiplication, checked as
     * {@link #verifyAnyS} checks it: not infinity, x(R) mod n = r), rather than by recovering up to four
     * candidate keys.
     *
     * @throws IllegalArgumentException if the signature does not verify under {@link #verifyAnyS}
     */
    public static int recoveryId(byte[] compressedPublicKey33, byte[] digest32, byte[] signature64) {
        if (compressedPublicKey33 == null || compressedPublicKey33.length != 33 || digest32 == null
                || digest32.length != 32 || signature64 == null || signature64.length != 64) {
            throw new IllegalArgumentException("signature does not verify under the public key");
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature64, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature64, 32, 64));
        if (!inScalarRange(r) || !inScalarRange(s)) {
            throw new IllegalArgumentException("signature does not verify under the public key");
        }
        ECPoint q;
        try {
            q = Secp256k1.decodePublicKey(compressedPublicKey33);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature does not verify under the public key");
        }
        BigInteger e = new BigInteger(1, digest32); // a 256-bit digest for a 256-bit n: no truncation (SEC 1 4.1.3)
        BigInteger w = s.modInverse(N);
        ECPoint bigR = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.PARAMS.getG(), e.multiply(w).mod(N), q,
                r.multiply(w).mod(N)).normalize();
        if (bigR.isInfinity()) {
            throw new IllegalArgumentException("signature does not verify under the public key");
        }
        BigInteger x = bigR.getAffineXCoord().toBigInteger();
        if (!x.mod(N).equals(r)) {
            throw new IllegalArgumentException("signature does not verify under the public key");
        }
        return (bigR.getAffineYCoord().testBitZero() ? 1 : 0) | (x.compareTo(N) >= 0 ? 2 : 0);
    }

    private static boolean inScalarRange(BigInteger v) {
        return v.signum() > 0 && v.compareTo(N) < 0;
    }
}
