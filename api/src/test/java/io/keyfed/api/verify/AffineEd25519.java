package io.keyfed.api.verify;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Textbook edwards25519 arithmetic (RFC 8032 section 5.1) on {@link BigInteger}, affine coordinates, written
 * for the tests so that they can build edge-case signatures and check point orders without BouncyCastle or
 * the code under test. Slow and not constant time; test use only.
 */
final class AffineEd25519 {
    static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE);
    static final Point B = decode(baseEncoding());

    record Point(BigInteger x, BigInteger y) {
    }

    private AffineEd25519() {
    }

    static Point add(Point a, Point b) {
        BigInteger t = D.multiply(a.x).multiply(b.x).multiply(a.y).multiply(b.y).mod(P);
        BigInteger x = a.x.multiply(b.y).add(b.x.multiply(a.y)).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
        BigInteger y = a.y.multiply(b.y).add(a.x.multiply(b.x)).multiply(BigInteger.ONE.subtract(t).modInverse(P))
                .mod(P);
        return new Point(x, y);
    }

    static Point multiply(BigInteger k, Point a) {
        Point result = IDENTITY;
        Point addend = a;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    /** RFC 8032 section 5.1.3 decoding, canonical or not: y is taken mod p. Null if no point has that y and sign. */
    static Point decode(byte[] encoded) {
        byte[] le = encoded.clone();
        boolean sign = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        BigInteger y = littleEndian(le).mod(P);
        BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
        BigInteger x = u.multiply(v.modInverse(P)).modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
        if (!vx2.equals(u)) {
            if (vx2.equals(u.negate().mod(P))) {
                x = x.multiply(SQRT_M1).mod(P);
            } else {
                return null;
            }
        }
        if (x.signum() == 0 && sign) {
            return null;
        }
        if (x.testBit(0) != sign) {
            x = P.subtract(x);
        }
        return new Point(x, y);
    }

    static byte[] encode(Point a) {
        byte[] out = toLittleEndian32(a.y);
        if (a.x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    /** The order of a point whose order divides 8, or 0 if [8]a is not the identity. */
    static int smallOrder(Point a) {
        Point q = a;
        for (int order = 1; order <= 8; order *= 2) {
            if (q.equals(IDENTITY)) {
                return order;
            }
            q = add(q, q);
            if (order == 8) {
                break;
            }
        }
        return 0;
    }

    /** k = SHA-512(R || A || M) mod L, little-endian (RFC 8032 section 5.1.7 step 2). */
    static BigInteger challenge(byte[] r, byte[] a, byte[] m) {
        MessageDigest d = sha512();
        d.update(r);
        d.update(a);
        d.update(m);
        return littleEndian(d.digest()).mod(L);
    }

    /** The secret scalar s of RFC 8032 section 5.1.5 step 2 (pruned first half of SHA-512(seed)). */
    static BigInteger secretScalar(byte[] seed) {
        byte[] h = sha512().digest(seed);
        byte[] s = java.util.Arrays.copyOf(h, 32);
        s[0] &= (byte) 248;
        s[31] &= 127;
        s[31] |= 64;
        return littleEndian(s);
    }

    static BigInteger littleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    static byte[] toLittleEndian32(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(be.length, 32); i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] baseEncoding() {
        // y = 4/5, x even (RFC 8032 section 5.1).
        return toLittleEndian32(BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P));
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
