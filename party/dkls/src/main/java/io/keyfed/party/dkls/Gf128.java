package io.keyfed.party.dkls;

/**
 * Multiplication in GF(2^128) = GF(2)[X] / (X^128 + X^7 + X^2 + X + 1), for the SoftSpokenOT consistency
 * check. An element is 16 bytes; bit i of the element (the coefficient of X^i) is bit (i mod 8) of byte
 * i / 8. Constant time: the loop runs 128 times with masks, never branching on a value.
 */
final class Gf128 {
    static final int BYTES = 16;

    private Gf128() {}

    /** a·b. */
    static byte[] mul(byte[] a, byte[] b) {
        long a0 = word(a, 0);
        long a1 = word(a, 8);
        long b0 = word(b, 0);
        long b1 = word(b, 8);
        long r0 = 0;
        long r1 = 0;
        for (int i = 0; i < 128; i++) {
            long mask = -(((i < 64 ? b0 >>> i : b1 >>> (i - 64))) & 1L);
            r0 ^= a0 & mask;
            r1 ^= a1 & mask;
            // a ← a·X mod (X^128 + X^7 + X^2 + X + 1)
            long carry = a1 >>> 63;
            a1 = (a1 << 1) | (a0 >>> 63);
            a0 = (a0 << 1) ^ (-carry & 0x87L);
        }
        byte[] out = new byte[BYTES];
        put(out, 0, r0);
        put(out, 8, r1);
        return out;
    }

    /** acc ^= x, in place. */
    static void addInto(byte[] acc, byte[] x) {
        for (int i = 0; i < BYTES; i++) {
            acc[i] ^= x[i];
        }
    }

    private static long word(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    private static void put(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
