package io.keyfed.api.crypto;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * secp256k1 ECDSA as KeyFed uses it: signatures are 64-byte R||S with low S, over SHA-256 of the
 * message; public keys are 33-byte compressed points, validated on decode.
 */
public final class Secp256k1 {
    public static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
    public static final BigInteger N = PARAMS.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {
    }

    /**
     * Decodes and validates a 33-byte compressed public key: on the curve, not the identity.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static ECPoint decodePublicKey(byte[] compressed) {
        return decodePublicKey(compressed, LibSecp256k1.get());
    }

    /**
     * {@link #decodePublicKey(byte[])} decompressing on libsecp256k1 {@code lib} ({@code pubkeyParse}, in place of
     * BouncyCastle's square root, which the profiles showed in the parties' and the ledger's checks of keyring
     * keys), or on BouncyCastle when it is null. Either way BouncyCastle then decodes the uncompressed point and
     * checks it is on the curve.
     */
    static ECPoint decodePublicKey(byte[] compressed, fr.acinq.secp256k1.Secp256k1 lib) {
        if (compressed == null || compressed.length != 33 || (compressed[0] != 2 && compressed[0] != 3)) {
            throw new IllegalArgumentException("public key must be a 33-byte compressed secp256k1 point");
        }
        ECPoint p;
        try {
            p = PARAMS.getCurve().decodePoint(lib == null ? compressed : lib.pubkeyParse(compressed));
        } catch (RuntimeException e) { // BouncyCastle's IllegalArgumentException, libsecp256k1's Secp256k1Exception
            throw new IllegalArgumentException("public key is not a point on secp256k1");
        }
        if (p.isInfinity() || !p.isValid()) {
            throw new IllegalArgumentException("public key is not a valid secp256k1 point");
        }
        return p.normalize();
    }

    public static boolean isValidPublicKey(byte[] compressed) {
        try {
            decodePublicKey(compressed);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compressed public key of a private scalar (1 <= d < n). */
    public static byte[] publicKeyOf(BigInteger d) {
        checkScalar(d);
        return new FixedPointCombMultiplier().multiply(PARAMS.getG(), d).getEncoded(true);
    }

    /** Deterministic (RFC 6979) low-S signature over SHA-256(message). */
    public static byte[] sign(BigInteger d, byte[] message) {
        checkScalar(d);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        BigInteger[] rs = signer.generateSignature(Hashes.sha256(message));
        return compact(rs[0], rs[1]);
    }

    /**
     * Verifies a 64-byte R||S signature over SHA-256(message). High-S signatures are refused, so a
     * signature cannot be malleated into a second valid one.
     */
    public static boolean verify(byte[] compressedPublicKey, byte[] message, byte[] signature) {
        return verify(compressedPublicKey, message, signature, LibSecp256k1.get());
    }

    /** {@link #verify(byte[], byte[], byte[])} with libsecp256k1 {@code lib}, or with BouncyCastle when it is null. */
    static boolean verify(byte[] compressedPublicKey, byte[] message, byte[] signature,
            fr.acinq.secp256k1.Secp256k1 lib) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0 || s.signum() == 0 || s.compareTo(HALF_N) > 0) {
            return false;
        }
        if (compressedPublicKey == null || compressedPublicKey.length != 33
                || (compressedPublicKey[0] != 2 && compressedPublicKey[0] != 3)) {
            return false;
        }
        byte[] digest = Hashes.sha256(message);
        return lib != null ? verifyNative(lib, compressedPublicKey, digest, signature)
                : verifyBouncyCastle(compressedPublicKey, digest, r, s);
    }

    /** Which implementation {@link #verify} uses in this JVM: {@code libsecp256k1} or {@code bouncycastle}. */
    public static String backend() {
        return LibSecp256k1.get() != null ? "libsecp256k1" : "bouncycastle";
    }

    /** libsecp256k1's verify (it parses and validates the key, and refuses high S itself); the ranges were checked. */
    private static boolean verifyNative(fr.acinq.secp256k1.Secp256k1 lib, byte[] compressedPublicKey, byte[] digest,
            byte[] signature) {
        try {
            return lib.verify(signature, digest, compressedPublicKey);
        } catch (RuntimeException e) { // Secp256k1Exception: a key that is not a point
            return false;
        }
    }

    private static boolean verifyBouncyCastle(byte[] compressedPublicKey, byte[] digest, BigInteger r, BigInteger s) {
        ECPoint q;
        try {
            q = decodePublicKey(compressedPublicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
        return verifier.verifySignature(digest, r, s);
    }

    /** Converts a DER ECDSA signature (as PKCS#11 tokens via JCA return it) to 64-byte R||S, low S. */
    public static byte[] derToCompactLowS(byte[] der) {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (seq.size() != 2) {
                throw new IllegalArgumentException("DER signature must hold two integers");
            }
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
            return compact(r, s);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed DER ECDSA signature", e);
        }
    }

    /** R||S with S normalised to the lower half of the group order. */
    public static byte[] compact(BigInteger r, BigInteger s) {
        if (s.compareTo(HALF_N) > 0) {
            s = N.subtract(s);
        }
        byte[] out = new byte[64];
        put32(r, out, 0);
        put32(s, out, 32);
        return out;
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    private static void checkScalar(BigInteger d) {
        if (d == null || d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
    }
}
