package io.keyfed.party.dkg.curve;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256K1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * k·P on secp256k1 for a secret k and a public P, without a branch or memory index that depends on k.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Points are homogeneous projective (X : Y : Z), each coordinate 8 little-endian 32-bit limbs in
 *       [0, p), kept in one {@code int[24]} (X at 0, Y at 8, Z at 16); the identity is (0 : 1 : 0).</li>
 *   <li>Addition and doubling are the complete formulas of Renes, Costello and Batina (ePrint 2015/1060,
 *       Algorithms 7 and 9, a = 0, b3 = 3·b = 21): correct for every pair of inputs, including P + P, P + (−P)
 *       and the identity, so the loop never tests a point.</li>
 *   <li>The scalar is read as 64 fixed 4-bit windows of its limbs ({@link Secp256k1Scalars#fromBytes}), most
 *       significant first: Q ← 16·Q + T[w]. The table T[i] = i·P (i = 0..15) is read by {@link #lookup},
 *       which touches every entry and keeps the wanted one by mask.</li>
 *   <li>The result is made affine with one inversion ({@link SecP256K1Field#inv}, BouncyCastle's safegcd
 *       {@code Mod.checkedModOddInverse}).</li>
 * </ul>
 *
 * <p>Residual leaks, stated honestly: BouncyCastle's {@link SecP256K1Field} add/multiply/reduce end with a
 * final conditional subtraction of p taken on a carry or on a value ≥ p (a branch on intermediate field
 * values, rarely taken and not aligned with k's bits; the same code runs in BouncyCastle's comb that
 * {@link Secp256k1Curve#mulBase} uses); and the affine result is handed to BouncyCastle as
 * {@code BigInteger} coordinates ({@link ECCurve#createPoint}), whose conversion and later encoding are not
 * constant time in the coordinates of the <em>result</em> (not of k), as for {@code mulBase}'s result.
 * Whether k·P is the identity (k = 0) is visible: it is then returned without an inversion.
 */
final class Secp256k1Projective {
    private static final int[] B3 = {21, 0, 0, 0, 0, 0, 0, 0};
    private static final int WINDOWS = 64;

    private Secp256k1Projective() {
    }

    /** k·P; {@code p} is an affine (normalised) point of {@code curve}, not the identity. */
    static ECPoint mul(ECCurve curve, ECPoint p, int[] k) {
        int[] table = new int[16 * 24];
        int[] q = new int[24];
        int[] t = new int[24];
        Work work = new Work();
        try {
            int[] base = new int[24];
            Nat256.copy(SecP256K1Field.fromBigInteger(p.getAffineXCoord().toBigInteger()), 0, base, 0);
            Nat256.copy(SecP256K1Field.fromBigInteger(p.getAffineYCoord().toBigInteger()), 0, base, 8);
            base[16] = 1;
            table[8] = 1; // T[0] = (0 : 1 : 0)
            System.arraycopy(base, 0, table, 24, 24); // T[1] = P
            for (int i = 2; i < 16; i++) {
                System.arraycopy(table, (i - 1) * 24, q, 0, 24);
                add(q, base, t, work);
                System.arraycopy(t, 0, table, i * 24, 24);
            }
            Arrays.fill(q, 0);
            q[8] = 1;
            for (int w = WINDOWS - 1; w >= 0; w--) {
                for (int d = 0; d < 4; d++) {
                    dbl(q, q, work);
                }
                int digit = (k[w >>> 3] >>> ((w & 7) << 2)) & 0xF;
                lookup(table, digit, t);
                add(q, t, q, work);
            }
            return toAffine(curve, q);
        } finally {
            Arrays.fill(table, 0);
            Arrays.fill(q, 0);
            Arrays.fill(t, 0);
            work.wipe();
        }
    }

    /** out = T[index], reading all 16 entries and keeping the wanted one by mask (index in 0..15). */
    static void lookup(int[] table, int index, int[] out) {
        Arrays.fill(out, 0);
        for (int i = 0; i < 16; i++) {
            int d = i ^ index;
            int mask = (d - 1) >> 31; // −1 iff d == 0 (d in 0..15)
            int off = i * 24;
            for (int j = 0; j < 24; j++) {
                out[j] |= table[off + j] & mask;
            }
        }
    }

    /**
     * Scratch space for {@link #add} and {@link #dbl}: coordinates and temporaries (8 limbs each) and one
     * 16-limb product buffer for BouncyCastle's multiply/square, allocated once per multiplication and wiped
     * by {@link #wipe()}.
     */
    static final class Work {
        final int[] x1 = new int[8];
        final int[] y1 = new int[8];
        final int[] z1 = new int[8];
        final int[] x2 = new int[8];
        final int[] y2 = new int[8];
        final int[] z2 = new int[8];
        final int[] t0 = new int[8];
        final int[] t1 = new int[8];
        final int[] t2 = new int[8];
        final int[] t3 = new int[8];
        final int[] t4 = new int[8];
        final int[] u = new int[8];
        final int[] v = new int[8];
        final int[] tt = new int[16];

        void wipe() {
            for (int[] a : new int[][] {x1, y1, z1, x2, y2, z2, t0, t1, t2, t3, t4, u, v, tt}) {
                Arrays.fill(a, 0);
            }
        }

        private void mul(int[] a, int[] b, int[] r) {
            SecP256K1Field.multiply(a, b, r, tt);
        }
    }

    /**
     * r = a + b (r may alias a or b), Algorithm 7 of Renes–Costello–Batina for a = 0:
     * X3 = (X1Y2 + X2Y1)(Y1Y2 − 3bZ1Z2) − 3b(Y1Z2 + Y2Z1)(X1Z2 + X2Z1),
     * Y3 = (Y1Y2 + 3bZ1Z2)(Y1Y2 − 3bZ1Z2) + 9b·X1X2(X1Z2 + X2Z1),
     * Z3 = (Y1Z2 + Y2Z1)(Y1Y2 + 3bZ1Z2) + 3X1X2(X1Y2 + X2Y1).
     */
    static void add(int[] a, int[] b, int[] r, Work w) {
        int[] x1 = w.x1;
        int[] y1 = w.y1;
        int[] z1 = w.z1;
        int[] x2 = w.x2;
        int[] y2 = w.y2;
        int[] z2 = w.z2;
        int[] t0 = w.t0;
        int[] t1 = w.t1;
        int[] t2 = w.t2;
        int[] t3 = w.t3;
        int[] t4 = w.t4;
        int[] u = w.u;
        int[] v = w.v;
        System.arraycopy(a, 0, x1, 0, 8);
        System.arraycopy(a, 8, y1, 0, 8);
        System.arraycopy(a, 16, z1, 0, 8);
        System.arraycopy(b, 0, x2, 0, 8);
        System.arraycopy(b, 8, y2, 0, 8);
        System.arraycopy(b, 16, z2, 0, 8);
        w.mul(x1, x2, t0);                            // X1X2
        w.mul(y1, y2, t1);                            // Y1Y2
        w.mul(z1, z2, t2);                            // Z1Z2
        SecP256K1Field.add(x1, y1, u);
        SecP256K1Field.add(x2, y2, v);
        w.mul(u, v, t3);
        SecP256K1Field.add(t0, t1, u);
        SecP256K1Field.subtract(t3, u, t3);           // X1Y2 + X2Y1
        SecP256K1Field.add(y1, z1, u);
        SecP256K1Field.add(y2, z2, v);
        w.mul(u, v, t4);
        SecP256K1Field.add(t1, t2, u);
        SecP256K1Field.subtract(t4, u, t4);           // Y1Z2 + Y2Z1
        SecP256K1Field.add(x1, z1, u);
        SecP256K1Field.add(x2, z2, v);
        w.mul(u, v, x1);
        SecP256K1Field.add(t0, t2, u);
        SecP256K1Field.subtract(x1, u, y1);           // X1Z2 + X2Z1
        SecP256K1Field.add(t0, t0, u);
        SecP256K1Field.add(u, t0, t0);                // 3X1X2
        w.mul(B3, t2, t2);                            // 3bZ1Z2
        SecP256K1Field.add(t1, t2, z1);               // Y1Y2 + 3bZ1Z2
        SecP256K1Field.subtract(t1, t2, t1);          // Y1Y2 − 3bZ1Z2
        w.mul(B3, y1, y1);                            // 3b(X1Z2 + X2Z1)
        w.mul(t4, y1, x2);
        w.mul(t3, t1, u);
        SecP256K1Field.subtract(u, x2, x2);           // X3
        w.mul(y1, t0, y1);
        w.mul(t1, z1, u);
        SecP256K1Field.add(u, y1, y2);                // Y3
        w.mul(t0, t3, t0);
        w.mul(z1, t4, u);
        SecP256K1Field.add(u, t0, z2);                // Z3
        System.arraycopy(x2, 0, r, 0, 8);
        System.arraycopy(y2, 0, r, 8, 8);
        System.arraycopy(z2, 0, r, 16, 8);
    }

    /**
     * r = 2a (r may alias a), Algorithm 9 of Renes–Costello–Batina for a = 0:
     * X3 = 2XY(Y² − 9bZ²), Y3 = (Y² − 9bZ²)(Y² + 3bZ²) + 24b·Y²Z², Z3 = 8Y³Z.
     */
    static void dbl(int[] a, int[] r, Work w) {
        int[] x = w.x1;
        int[] y = w.y1;
        int[] z = w.z1;
        int[] t0 = w.t0;
        int[] t1 = w.t1;
        int[] t2 = w.t2;
        int[] u = w.u;
        int[] x3 = w.x2;
        int[] y3 = w.y2;
        int[] z3 = w.z2;
        System.arraycopy(a, 0, x, 0, 8);
        System.arraycopy(a, 8, y, 0, 8);
        System.arraycopy(a, 16, z, 0, 8);
        SecP256K1Field.square(y, t0, w.tt);           // Y²
        SecP256K1Field.add(t0, t0, z3);
        SecP256K1Field.add(z3, z3, z3);
        SecP256K1Field.add(z3, z3, z3);               // 8Y²
        w.mul(y, z, t1);                              // YZ
        SecP256K1Field.square(z, t2, w.tt);
        w.mul(B3, t2, t2);                            // 3bZ²
        w.mul(t2, z3, x3);                            // 24bY²Z²
        SecP256K1Field.add(t0, t2, y3);               // Y² + 3bZ²
        w.mul(t1, z3, z3);                            // 8Y³Z
        SecP256K1Field.add(t2, t2, u);
        SecP256K1Field.add(u, t2, t2);                // 9bZ²
        SecP256K1Field.subtract(t0, t2, t0);          // Y² − 9bZ²
        w.mul(t0, y3, y3);
        SecP256K1Field.add(x3, y3, y3);               // Y3
        w.mul(x, y, t1);
        w.mul(t0, t1, x3);
        SecP256K1Field.add(x3, x3, x3);               // X3
        System.arraycopy(x3, 0, r, 0, 8);
        System.arraycopy(y3, 0, r, 8, 8);
        System.arraycopy(z3, 0, r, 16, 8);
    }

    /** (X/Z, Y/Z) as a BouncyCastle point; the identity when Z = 0. */
    private static ECPoint toAffine(ECCurve curve, int[] q) {
        int[] z = Arrays.copyOfRange(q, 16, 24);
        int[] zi = new int[8];
        int[] x = new int[8];
        int[] y = new int[8];
        try {
            if (SecP256K1Field.isZero(z) != 0) {
                return curve.getInfinity();
            }
            SecP256K1Field.inv(z, zi);
            SecP256K1Field.multiply(Arrays.copyOfRange(q, 0, 8), zi, x);
            SecP256K1Field.multiply(Arrays.copyOfRange(q, 8, 16), zi, y);
            return curve.createPoint(Nat256.toBigInteger(x), Nat256.toBigInteger(y));
        } finally {
            wipe(z, zi, x, y);
        }
    }

    private static void wipe(int[]... arrays) {
        for (int[] a : arrays) {
            Arrays.fill(a, 0);
        }
    }
}
