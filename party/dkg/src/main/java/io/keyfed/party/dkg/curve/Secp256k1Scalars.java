package io.keyfed.party.dkg.curve;

import java.util.Arrays;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.math.raw.Nat256;
import org.bouncycastle.util.Pack;

/**
 * Arithmetic modulo the secp256k1 group order n in constant time, on fixed-width 8 × 32-bit little-endian
 * limbs with BouncyCastle's {@link Nat256} / {@link Nat} carry chains.
 *
 * <p>BouncyCastle has constant-time code for the field prime p ({@code SecP256K1Field}) but none for the
 * order n, so the reduction is written here, the way libsecp256k1's {@code scalar_reduce_512} does it.
 * n = 2^256 − c with c = {@value #C_HEX} (129 bits), so 2^256 ≡ c (mod n) and a 512-bit x = H·2^256 + L is
 * congruent to L + H·c. Three such folds bring any x &lt; 2^512 below 2^256 + 2^133 &lt; 2n:
 * <ol>
 *   <li>x &lt; 2^512 → L + H·c &lt; 2^256 + 2^385;</li>
 *   <li>H &lt; 2^130 → &lt; 2^256 + 2^259;</li>
 *   <li>H &lt; 2^4 → &lt; 2^256 + 2^133, a 257-bit value;</li>
 * </ol>
 * then one conditional subtraction of n ({@link #reduceOnce}). Subtracting n is adding c modulo 2^256, and
 * the value is at least n exactly when its bit 256 is set or adding c carries out of 2^256.
 *
 * <p>Constant time: every step is a fixed sequence of {@link Nat256#mul}, {@link Nat256#add},
 * {@link Nat256#sub}, {@link Nat#lessThan} (borrow chain) and {@link Nat#cmov} (mask select), plus loops
 * over a fixed number of limbs whose only branch is on the public limb index. No branch and no memory
 * index depends on a value. Temporaries are zeroed before return.
 */
final class Secp256k1Scalars {
    static final String C_HEX = "14551231950b75fc4402da1732fc9bebf";
    private static final long M = 0xFFFFFFFFL;
    /** n, little-endian limbs. */
    static final int[] N = {0xD0364141, 0xBFD25E8C, 0xAF48A03B, 0xBAAEDCE6, 0xFFFFFFFE, -1, -1, -1};
    /** c = 2^256 − n, little-endian limbs, zero-padded to 8. */
    static final int[] C = {0x2FC9BEBF, 0x402DA173, 0x50B75FC4, 0x45512319, 0x00000001, 0, 0, 0};

    private Secp256k1Scalars() {
    }

    /** 32 big-endian bytes at {@code off} to 8 little-endian limbs. */
    static int[] fromBytes(byte[] be, int off) {
        int[] x = new int[8];
        for (int i = 0; i < 8; i++) {
            x[i] = Pack.bigEndianToInt(be, off + 28 - 4 * i);
        }
        return x;
    }

    /** 8 little-endian limbs to 32 big-endian bytes. */
    static byte[] toBytes(int[] x) {
        byte[] be = new byte[32];
        for (int i = 0; i < 8; i++) {
            Pack.intToBigEndian(x[i], be, 28 - 4 * i);
        }
        return be;
    }

    /** 1 if x &lt; n, else 0 (borrow of x − n). */
    static int lessThanN(int[] x) {
        return Nat.lessThan(8, x, N) & 1;
    }

    /** 1 if x == 0, else 0. */
    static int isZero(int[] x) {
        int d = 0;
        for (int i = 0; i < 8; i++) {
            d |= x[i];
        }
        return ((d | -d) >>> 31) ^ 1;
    }

    /** z = (x + y) mod n, for x, y &lt; n. */
    static void add(int[] x, int[] y, int[] z) {
        int[] t = new int[8];
        int hi = Nat256.add(x, y, t);
        reduceOnce(hi, t, z);
        Arrays.fill(t, 0);
    }

    /** z = (n − x) mod n, for x &lt; n. */
    static void negate(int[] x, int[] z) {
        int[] t = new int[8];
        Nat256.sub(N, x, t); // n − x in (0, n]: no borrow; x = 0 gives n, which reduceOnce takes to 0
        reduceOnce(0, t, z);
        Arrays.fill(t, 0);
    }

    /** z = x·y mod n, for x, y &lt; n (any 256-bit x, y in fact). */
    static void mul(int[] x, int[] y, int[] z) {
        int[] tt = new int[16];
        Nat256.mul(x, y, tt);
        reduce512(tt, z);
        Arrays.fill(tt, 0);
    }

    /** z = (x·y + w) mod n, for x, y, w &lt; n (x·y + w &lt; n² + n &lt; 2^512). */
    static void mulAdd(int[] x, int[] y, int[] w, int[] z) {
        int[] tt = new int[16];
        Nat256.mul(x, y, tt);
        long c = 0;
        for (int i = 0; i < 16; i++) {
            c += (tt[i] & M) + (i < 8 ? w[i] & M : 0);
            tt[i] = (int) c;
            c >>>= 32;
        }
        reduce512(tt, z);
        Arrays.fill(tt, 0);
    }

    /** z = x mod n for any 512-bit x (16 little-endian limbs). */
    static void reduce512(int[] x, int[] z) {
        int[] a = new int[16];
        int[] b = new int[16];
        fold(x, a); // < 2^256 + 2^385
        fold(a, b); // < 2^256 + 2^259
        fold(b, a); // < 2^256 + 2^133 < 2n: a[8] is 0 or 1, a[9..16) are 0
        reduceOnce(a[8], a, z);
        Arrays.fill(a, 0);
        Arrays.fill(b, 0);
    }

    /** out = in[0..8) + in[8..16)·c, 16 limbs each (the sum stays below 2^512 for every input). */
    private static void fold(int[] in, int[] out) {
        int[] prod = new int[16];
        Nat256.mul(in, 8, C, 0, prod, 0);
        long c = 0;
        for (int i = 0; i < 16; i++) {
            c += (prod[i] & M) + (i < 8 ? in[i] & M : 0);
            out[i] = (int) c;
            c >>>= 32;
        }
        Arrays.fill(prod, 0);
    }

    /**
     * z = v mod n for v = hi·2^256 + x[0..8) &lt; 2n, hi in {0, 1}. v ≥ n iff hi = 1 or x + c carries out of
     * 2^256, and then v − n = x + c mod 2^256: compute t = x + c and select it by mask.
     */
    private static void reduceOnce(int hi, int[] x, int[] z) {
        int[] t = new int[8];
        int carry = Nat256.add(x, C, t);
        Nat256.copy(x, 0, z, 0);
        Nat.cmov(8, hi | carry, t, 0, z, 0);
        Arrays.fill(t, 0);
    }
}
