package io.keyfed.party.dkg.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.TestSupport;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The constant-time scalar arithmetic agrees with the BigInteger arithmetic it replaced ((a op b) mod q),
 * on edge values (0, 1, 2, q−1, q−2, 2^128 and neighbours of the reduction constants) and random values,
 * and the wide reduction agrees with x mod q for 2^256−1, 2^512−1, q, q+1, 2q and random widths.
 */
class ScalarArithmeticTest {
    static final SecureRandom RNG = new SecureRandom();

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    /** Edge values in [0, q) and random ones. */
    static List<BigInteger> values(Curve c) {
        BigInteger q = c.order();
        List<BigInteger> v = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO,
                q.subtract(BigInteger.ONE), q.subtract(BigInteger.TWO), q.shiftRight(1), q.shiftRight(1).add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(252).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(251)));
        for (int i = 0; i < 24; i++) {
            v.add(new BigInteger(q.bitLength() + 8, RNG).mod(q));
        }
        return v;
    }

    static Scalar s(Curve c, BigInteger v) {
        return TestSupport.scalar(c, v);
    }

    static BigInteger big(Curve c, Scalar s) {
        return TestSupport.big(c, s);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void addMulMulAddAndNegateAgreeWithBigInteger(Curve c) {
        BigInteger q = c.order();
        List<BigInteger> vs = values(c);
        int checked = 0;
        for (BigInteger a : vs) {
            assertEquals(q.subtract(a).mod(q), big(c, c.scalarNegate(s(c, a))), "−" + a);
            for (BigInteger b : vs) {
                assertEquals(a.add(b).mod(q), big(c, c.scalarAdd(s(c, a), s(c, b))), a + " + " + b);
                assertEquals(a.multiply(b).mod(q), big(c, c.scalarMul(s(c, a), s(c, b))), a + " · " + b);
                BigInteger w = vs.get((checked * 7) % vs.size());
                assertEquals(a.multiply(b).add(w).mod(q), big(c, c.scalarMulAdd(s(c, a), s(c, b), s(c, w))),
                        a + " · " + b + " + " + w);
                checked++;
            }
        }
        assertTrue(checked >= 35 * 35, "checked " + checked);
        // the largest operands, spelled out
        BigInteger top = q.subtract(BigInteger.ONE);
        assertEquals(BigInteger.ONE, big(c, c.scalarMul(s(c, top), s(c, top)))); // (−1)² = 1
        assertEquals(q.subtract(BigInteger.TWO), big(c, c.scalarAdd(s(c, top), s(c, top))));
        assertEquals(BigInteger.ZERO, big(c, c.scalarMulAdd(s(c, top), s(c, BigInteger.ONE), c.scalarOf(1))));
        assertEquals(BigInteger.ZERO, big(c, c.scalarNegate(c.scalarOf(0))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void wideReductionAgreesWithBigIntegerMod(Curve c) {
        BigInteger q = c.order();
        List<BigInteger> wides = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE, q.subtract(BigInteger.ONE), q,
                q.add(BigInteger.ONE), q.shiftLeft(1), q.multiply(q), q.multiply(q).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(256),
                BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(512).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(511), BigInteger.ONE.shiftLeft(256).subtract(q).shiftLeft(256)));
        for (int i = 0; i < 64; i++) {
            wides.add(new BigInteger(1 + RNG.nextInt(512), RNG));
        }
        for (BigInteger x : wides) {
            assertEquals(x.mod(q), big(c, c.scalarReduce(wide(c, x, 64))), "reduce " + x.toString(16));
        }
        // shorter inputs (48-byte hash_to_field, 32 bytes) are zero-extended
        BigInteger x48 = BigInteger.ONE.shiftLeft(384).subtract(BigInteger.ONE);
        assertEquals(x48.mod(q), big(c, c.scalarReduce(wide(c, x48, 48))));
        BigInteger x32 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertEquals(x32.mod(q), big(c, c.scalarReduce(wide(c, x32, 32))));
        assertThrows(IllegalArgumentException.class, () -> c.scalarReduce(new byte[65]));
    }

    /** x as {@code len} bytes in the curve's byte order. */
    static byte[] wide(Curve c, BigInteger x, int len) {
        byte[] be = new byte[len];
        byte[] raw = x.toByteArray();
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, be, len - n, n);
        if (c.id() == CurveId.SECP256K1) {
            return be;
        }
        byte[] le = new byte[len];
        for (int i = 0; i < len; i++) {
            le[i] = be[len - 1 - i];
        }
        return le;
    }

    @ParameterizedTest
    @MethodSource("curves")
    void decodingAcceptsExactlyZeroToQMinusOne(Curve c) throws Exception {
        BigInteger q = c.order();
        for (BigInteger v : values(c)) {
            byte[] enc = wide(c, v, 32);
            Scalar d = c.decodeScalar(enc);
            assertEquals(v, big(c, d));
            enc[0] ^= 1; // the decoded scalar is a copy
            assertEquals(v, big(c, d));
        }
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        for (BigInteger v : List.of(q, q.add(BigInteger.ONE), q.add(max).shiftRight(1), max)) {
            assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(wide(c, v, 32)), v.toString(16));
        }
        assertEquals(BigInteger.valueOf(65537), big(c, c.scalarOf(65537)));
        assertEquals(BigInteger.valueOf(Integer.MAX_VALUE), big(c, c.scalarOf(Integer.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> c.scalarOf(-1));
    }

    /** mulBase on the new scalars equals the old BigInteger paths: BouncyCastle's comb, the ed25519 table. */
    @ParameterizedTest
    @MethodSource("curves")
    void mulBaseAgreesWithTheReferenceMultiplier(Curve c) {
        for (BigInteger k : values(c)) {
            GroupElement got = c.mulBase(s(c, k));
            if (k.signum() == 0) {
                assertTrue(c.isIdentity(got));
                continue;
            }
            byte[] expected;
            if (c.id() == CurveId.SECP256K1) {
                ECPoint g = CustomNamedCurves.getByName("secp256k1").getG();
                expected = new FixedPointCombMultiplier().multiply(g, k).normalize().getEncoded(true);
            } else {
                expected = cafe.cryptography.curve25519.Constants.ED25519_BASEPOINT.multiply(
                        cafe.cryptography.curve25519.Scalar.fromCanonicalBytes(TestSupport.le32(k))).compress().toByteArray();
            }
            assertEquals(TestSupport.hex(expected), TestSupport.hex(c.encodePoint(got)), "k=" + k.toString(16));
        }
    }

    /** randomScalar reads the rng exactly as the old {@code new BigInteger(bitLength(q), rng)} loop did. */
    @ParameterizedTest
    @MethodSource("curves")
    void randomScalarDrawsTheSameValuesAsTheBigIntegerSampler(Curve c) throws Exception {
        SecureRandom a = SecureRandom.getInstance("SHA1PRNG");
        a.setSeed(42);
        SecureRandom b = SecureRandom.getInstance("SHA1PRNG");
        b.setSeed(42);
        BigInteger q = c.order();
        for (int i = 0; i < 40; i++) {
            BigInteger expected;
            do {
                expected = new BigInteger(q.bitLength(), b);
            } while (expected.signum() == 0 || expected.compareTo(q) >= 0);
            assertEquals(expected, big(c, c.randomScalar(a)));
        }
    }

    @Test
    void secp256k1ReductionConstantsAreTheOrder() {
        BigInteger n = Secp256k1Curve.INSTANCE.order();
        assertEquals(n, limbs(Secp256k1Scalars.N));
        assertEquals(BigInteger.ONE.shiftLeft(256).subtract(n), limbs(Secp256k1Scalars.C));
        assertEquals(new BigInteger(Secp256k1Scalars.C_HEX, 16), limbs(Secp256k1Scalars.C));
    }

    static BigInteger limbs(int[] x) {
        BigInteger r = BigInteger.ZERO;
        for (int i = x.length - 1; i >= 0; i--) {
            r = r.shiftLeft(32).or(BigInteger.valueOf(x[i] & 0xFFFFFFFFL));
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("curves")
    void scalarsCompareByValueAndWipe(Curve c) {
        Scalar a = c.scalarOf(7);
        Scalar b = c.scalarAdd(c.scalarOf(3), c.scalarOf(4));
        assertEquals(a, b);
        assertEquals(a.hashCode(), c.scalarOf(8).hashCode()); // independent of the value
        assertNotEquals(a, c.scalarOf(8));
        assertNotEquals(Secp256k1Curve.INSTANCE.scalarOf(7), Ed25519Curve.INSTANCE.scalarOf(7));
        assertFalse(a.toString().contains("7"), a.toString());
        Scalar copy = a.copy();
        a.destroy();
        assertTrue(a.isDestroyed());
        assertThrows(IllegalStateException.class, () -> c.encodeScalar(a));
        assertThrows(IllegalStateException.class, () -> c.scalarAdd(a, copy));
        assertEquals(BigInteger.valueOf(7), big(c, copy));
        Curve other = c.id() == CurveId.SECP256K1 ? Ed25519Curve.INSTANCE : Secp256k1Curve.INSTANCE;
        assertThrows(IllegalArgumentException.class, () -> c.scalarAdd(copy, other.scalarOf(1)));
        assertTrue(Arrays.equals(c.encodeScalar(copy), c.encodeScalar(c.scalarOf(7))));
    }
}
