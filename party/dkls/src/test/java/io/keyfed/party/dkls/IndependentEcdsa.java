package io.keyfed.party.dkls;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * TEST ONLY: checks a signature with code that shares nothing with the engine: BouncyCastle's
 * {@code ECDSASigner}, and public-key recovery to an EVM address written here from the SEC 1 formula
 * Q = r^-1·(s·R − e·G) with BigInteger arithmetic and Keccak-256.
 */
final class IndependentEcdsa {
    static final X9ECParameters P = SECNamedCurves.getByName("secp256k1");
    static final ECDomainParameters D = new ECDomainParameters(P.getCurve(), P.getG(), P.getN(), P.getH());
    static final BigInteger N = P.getN();

    private IndependentEcdsa() {}

    static boolean verify(byte[] compressedKey, byte[] digest, byte[] r, byte[] s) {
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(P.getCurve().decodePoint(compressedKey), D));
        return v.verifySignature(digest, new BigInteger(1, r), new BigInteger(1, s));
    }

    static boolean lowS(byte[] s) {
        return new BigInteger(1, s).compareTo(N.shiftRight(1)) <= 0;
    }

    /** The EVM address (20 bytes) of the key that (r, s, recId) recovers to over {@code digest}. */
    static byte[] recoverAddress(byte[] digest, byte[] rBytes, byte[] sBytes, int recId) {
        BigInteger r = new BigInteger(1, rBytes);
        BigInteger s = new BigInteger(1, sBytes);
        BigInteger x = (recId & 2) != 0 ? r.add(N) : r;
        byte[] enc = new byte[33];
        enc[0] = (byte) ((recId & 1) != 0 ? 0x03 : 0x02);
        byte[] xb = x.toByteArray();
        System.arraycopy(xb, Math.max(0, xb.length - 32), enc, 33 - Math.min(32, xb.length), Math.min(32, xb.length));
        ECPoint bigR = P.getCurve().decodePoint(enc);
        BigInteger e = new BigInteger(1, digest).mod(N);
        BigInteger rInv = r.modInverse(N);
        ECPoint q = bigR.multiply(s).subtract(P.getG().multiply(e)).multiply(rInv).normalize();
        return address(q);
    }

    static byte[] address(byte[] compressedKey) {
        return address(P.getCurve().decodePoint(compressedKey).normalize());
    }

    private static byte[] address(ECPoint q) {
        byte[] uncompressed = q.getEncoded(false);
        KeccakDigest k = new KeccakDigest(256);
        k.update(uncompressed, 1, 64);
        byte[] h = new byte[32];
        k.doFinal(h, 0);
        return Arrays.copyOfRange(h, 12, 32);
    }
}
