package io.keyfed.api.verify;

import java.math.BigInteger;

/**
 * Textbook affine secp256k1 arithmetic on {@link BigInteger}, written for the tests so that they can recover
 * an ECDSA key without BouncyCastle or the code under test. Slow and not constant time; test use only.
 */
final class AffineSecp256k1 {
    static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
    static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    static final Point G = new Point(
            new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
            new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16));

    /** An affine point; null stands for the point at infinity. */
    record Point(BigInteger x, BigInteger y) {
    }

    private AffineSecp256k1() {
    }

    static boolean onCurve(Point a) {
        return a.y.multiply(a.y).subtract(a.x.pow(3)).subtract(BigInteger.valueOf(7)).mod(P).signum() == 0;
    }

    static Point add(Point a, Point b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        BigInteger lambda;
        if (a.x.equals(b.x)) {
            if (a.y.add(b.y).mod(P).signum() == 0) {
                return null;
            }
            lambda = a.x.pow(2).multiply(BigInteger.valueOf(3)).multiply(a.y.shiftLeft(1).modInverse(P)).mod(P);
        } else {
            lambda = b.y.subtract(a.y).multiply(b.x.subtract(a.x).modInverse(P)).mod(P);
        }
        BigInteger x = lambda.pow(2).subtract(a.x).subtract(b.x).mod(P);
        BigInteger y = lambda.multiply(a.x.subtract(x)).subtract(a.y).mod(P);
        return new Point(x, y);
    }

    static Point multiply(BigInteger k, Point a) {
        Point result = null;
        Point addend = a;
        BigInteger e = k.mod(N);
        for (int i = 0; i < e.bitLength(); i++) {
            if (e.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    /** The point with this x and the given y parity, or null if x is not on the curve. */
    static Point withX(BigInteger x, boolean oddY) {
        if (x.compareTo(P) >= 0) {
            return null;
        }
        BigInteger c = x.pow(3).add(BigInteger.valueOf(7)).mod(P);
        BigInteger y = c.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        if (!y.multiply(y).mod(P).equals(c)) {
            return null;
        }
        if (y.testBit(0) != oddY) {
            y = P.subtract(y);
        }
        return new Point(x, y);
    }

    /**
     * ECDSA public-key recovery (SEC 1 section 4.1.6) with recovery id v: R has x = r + (v &gt;= 2 ? n : 0)
     * and y odd iff v is odd; Q = r^-1 (s R - e G). Null if v names no point.
     */
    static Point recover(BigInteger r, BigInteger s, BigInteger e, int v) {
        Point bigR = withX(v >= 2 ? r.add(N) : r, (v & 1) == 1);
        if (bigR == null) {
            return null;
        }
        BigInteger rInv = r.modInverse(N);
        return add(multiply(s.multiply(rInv), bigR), multiply(e.negate().multiply(rInv), G));
    }

    /** 33-byte SEC 1 compressed encoding. */
    static byte[] compress(Point a) {
        byte[] out = new byte[33];
        out[0] = (byte) (a.y.testBit(0) ? 3 : 2);
        byte[] xb = a.x.toByteArray();
        int len = Math.min(xb.length, 32);
        System.arraycopy(xb, xb.length - len, out, 33 - len, len);
        return out;
    }
}
