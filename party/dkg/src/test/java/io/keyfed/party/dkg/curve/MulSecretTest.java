package io.keyfed.party.dkg.curve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.TestSupport;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Curve#mulSecret} (constant-time k·P) gives what the variable-time {@link Curve#mul} gives, for random
 * points and scalars and for the scalars at the edges of the 4-bit window (1, 2, 15, 16, n−1, n−2, windows
 * all 0 or all F), with P = G and P = −G; and the parts of the secp256k1 ladder ({@link Secp256k1Projective}:
 * table lookup, complete addition and doubling) agree with BouncyCastle's arithmetic on their own, including
 * the exceptional inputs of the complete formulas (P + P, P + (−P), the identity).
 *
 * <p>Why P + P matters for k·P: the table entry T[2] = T[1] + P is a doubling through the addition formula,
 * used by every scalar with a window ≥ 2 (k = 2 is the smallest). Inside the window loop the accumulator
 * 16·m·P (m = the windows read so far, 16·m &lt; n) can meet T[w] = w·P only when m = w = 0, i.e. as
 * identity + identity, which every scalar with a leading zero window exercises.
 */
class MulSecretTest {
    static final SecureRandom RNG = new SecureRandom();
    static final X9ECParameters K1 = CustomNamedCurves.getByName("secp256k1");
    static final ECCurve BC = K1.getCurve();
    static final BigInteger P = BC.getField().getCharacteristic();
    static final Secp256k1Projective.Work W = new Secp256k1Projective.Work();

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Secp256k1Curve.bouncyCastle(), Ed25519Curve.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void agreesWithMulForRandomPointsAndScalars(Curve c) {
        for (int i = 0; i < 200; i++) {
            GroupElement p = c.mulBase(c.randomScalar(RNG));
            Scalar k = c.randomScalar(RNG);
            assertEquals(c.mul(p, k), c.mulSecret(p, k), "random P and k, run " + i);
        }
    }

    /** Edge scalars of the window: each against {@code mul} and against an independent BigInteger multiply. */
    @ParameterizedTest
    @MethodSource("curves")
    void agreesWithMulAtWindowEdgesForGAndMinusG(Curve c) {
        BigInteger q = c.order();
        BigInteger fifteenWindows = BigInteger.ONE.shiftLeft(4 * 62).subtract(BigInteger.ONE); // 62 windows of F
        List<BigInteger> ks = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(15),
                BigInteger.valueOf(16), BigInteger.valueOf(17), BigInteger.valueOf(255), BigInteger.valueOf(256),
                q.subtract(BigInteger.ONE), q.subtract(BigInteger.TWO),
                fifteenWindows, fifteenWindows.shiftLeft(4),                // all-F windows, then a zero low window
                BigInteger.ONE.shiftLeft(248), BigInteger.ONE.shiftLeft(128).add(BigInteger.ONE), // zero windows
                BigInteger.ONE.shiftLeft(251), q.shiftRight(1)));
        Scalar minusOne = TestSupport.scalar(c, q.subtract(BigInteger.ONE));
        GroupElement g = c.generator();
        GroupElement minusG = c.mul(g, minusOne);
        assertNotEquals(g, minusG);
        assertTrue(c.isIdentity(c.add(g, minusG)));
        for (BigInteger v : ks) {
            Scalar k = TestSupport.scalar(c, v);
            assertEquals(c.mul(g, k), c.mulSecret(g, k), "k = " + v.toString(16) + ", P = G");
            assertEquals(c.mulBase(k), c.mulSecret(g, k), "k = " + v.toString(16) + " against the fixed-base path");
            assertEquals(c.mul(minusG, k), c.mulSecret(minusG, k), "k = " + v.toString(16) + ", P = −G");
            assertEquals(c.mulBase(TestSupport.scalar(c, q.subtract(v))), c.mulSecret(minusG, k),
                    "k·(−G) = (q − k)·G for k = " + v.toString(16));
        }
    }

    @Test
    void secp256k1AgreesWithBouncyCastleOnItsOwnPoints() {
        Curve c = Secp256k1Curve.INSTANCE;
        for (int i = 0; i < 20; i++) {
            BigInteger a = new BigInteger(256, RNG).mod(c.order());
            BigInteger k = new BigInteger(256, RNG).mod(c.order());
            ECPoint expected = K1.getG().multiply(a).multiply(k).normalize();
            byte[] got = c.encodePoint(c.mulSecret(TestSupport.mulBase(c, a), TestSupport.scalar(c, k)));
            assertArrayEquals(expected.getEncoded(true), got);
        }
    }

    @Test
    void zeroScalarAndIdentityBaseGiveTheIdentity() {
        for (Curve c : curves().toList()) {
            assertTrue(c.isIdentity(c.mulSecret(c.generator(), c.scalarOf(0))), c.id() + ": 0·G");
            assertTrue(c.isIdentity(c.mulSecret(c.identity(), c.scalarOf(5))), c.id() + ": 5·O");
        }
    }

    /** Every index returns exactly its entry, from a table whose 16 entries all differ in every limb. */
    @Test
    void lookupReturnsExactlyTheIndexedEntry() {
        int[] table = new int[16 * 24];
        for (int i = 0; i < table.length; i++) {
            table[i] = RNG.nextInt() | 1;
        }
        int[] out = new int[24];
        for (int index = 0; index < 16; index++) {
            Secp256k1Projective.lookup(table, index, out);
            for (int j = 0; j < 24; j++) {
                assertEquals(table[index * 24 + j], out[j], "index " + index + ", limb " + j);
            }
        }
    }

    @Test
    void completeAdditionAndDoublingAgreeWithBouncyCastleOnEveryCase() {
        ECPoint g = K1.getG().normalize();
        for (int i = 0; i < 20; i++) {
            ECPoint a = g.multiply(new BigInteger(256, RNG)).normalize();
            ECPoint b = g.multiply(new BigInteger(256, RNG)).normalize();
            int[] pa = projective(a, i + 2);
            int[] pb = projective(b, i + 7);
            int[] r = new int[24];
            Secp256k1Projective.add(pa, pb, r, W);
            assertEquals(a.add(b).normalize(), affine(r), "a + b");
            Secp256k1Projective.add(pa, projective(a, i + 3), r, W);
            assertEquals(a.twice().normalize(), affine(r), "a + a through the addition formula");
            Secp256k1Projective.dbl(pa, r, W);
            assertEquals(a.twice().normalize(), affine(r), "2a");
            Secp256k1Projective.add(pa, projective(a.negate(), i + 5), r, W);
            assertTrue(affine(r).isInfinity(), "a + (−a)");
            Secp256k1Projective.add(pa, identity(), r, W);
            assertEquals(a, affine(r), "a + O");
            Secp256k1Projective.add(identity(), pb, r, W);
            assertEquals(b, affine(r), "O + b");
        }
        int[] r = new int[24];
        Secp256k1Projective.add(identity(), identity(), r, W);
        assertTrue(affine(r).isInfinity(), "O + O");
        Secp256k1Projective.dbl(identity(), r, W);
        assertTrue(affine(r).isInfinity(), "2·O");
    }

    /** (λx : λy : λ) for a non-zero λ, so the formulas are also tested off Z = 1. */
    static int[] projective(ECPoint a, int lambda) {
        BigInteger l = BigInteger.valueOf(lambda);
        int[] out = new int[24];
        Nat256.copy(SecP256K1Field.fromBigInteger(a.getAffineXCoord().toBigInteger().multiply(l).mod(P)), 0, out, 0);
        Nat256.copy(SecP256K1Field.fromBigInteger(a.getAffineYCoord().toBigInteger().multiply(l).mod(P)), 0, out, 8);
        Nat256.copy(SecP256K1Field.fromBigInteger(l), 0, out, 16);
        return out;
    }

    static int[] identity() {
        int[] out = new int[24];
        out[8] = 1;
        return out;
    }

    static ECPoint affine(int[] q) {
        BigInteger x = limbs(q, 0);
        BigInteger y = limbs(q, 8);
        BigInteger z = limbs(q, 16);
        if (z.signum() == 0) {
            assertNotEquals(BigInteger.ZERO, y, "(0 : 0 : 0) is not a point");
            return BC.getInfinity();
        }
        BigInteger zi = z.modInverse(P);
        ECPoint pt = BC.createPoint(x.multiply(zi).mod(P), y.multiply(zi).mod(P));
        assertTrue(pt.isValid(), "on the curve");
        return pt;
    }

    static BigInteger limbs(int[] q, int off) {
        int[] x = new int[8];
        System.arraycopy(q, off, x, 0, 8);
        return Nat256.toBigInteger(x);
    }
}
