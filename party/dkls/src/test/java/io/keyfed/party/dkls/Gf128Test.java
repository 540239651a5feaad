package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** GF(2^128) multiplication against a schoolbook reference written separately here. */
class Gf128Test {
    final SecureRandom rng = new SecureRandom();

    byte[] random() {
        byte[] b = new byte[16];
        rng.nextBytes(b);
        return b;
    }

    static int bit(byte[] a, int i) {
        return (a[i >>> 3] >>> (i & 7)) & 1;
    }

    /** Carry-less product into 255 bits, then reduction by X^128 = X^7 + X^2 + X + 1 from the top down. */
    static byte[] reference(byte[] a, byte[] b) {
        int[] p = new int[256];
        for (int i = 0; i < 128; i++) {
            for (int j = 0; j < 128; j++) {
                p[i + j] ^= bit(a, i) & bit(b, j);
            }
        }
        for (int d = 255; d >= 128; d--) {
            if (p[d] == 1) {
                p[d] = 0;
                p[d - 128 + 7] ^= 1;
                p[d - 128 + 2] ^= 1;
                p[d - 128 + 1] ^= 1;
                p[d - 128] ^= 1;
            }
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 128; i++) {
            out[i >>> 3] |= (byte) (p[i] << (i & 7));
        }
        return out;
    }

    static byte[] monomial(int degree) {
        byte[] m = new byte[16];
        m[degree >>> 3] = (byte) (1 << (degree & 7));
        return m;
    }

    @Test
    void xTimesX127IsTheReductionPolynomialsTail() {
        byte[] expected = new byte[16];
        expected[0] = (byte) 0x87; // X^7 + X^2 + X + 1
        assertArrayEquals(expected, Gf128.mul(monomial(1), monomial(127)));
        assertArrayEquals(expected, Gf128.mul(monomial(127), monomial(1)));
    }

    @Test
    void oneIsTheIdentity() {
        byte[] a = random();
        assertArrayEquals(a, Gf128.mul(a, monomial(0)));
    }

    @Test
    void randomProductsMatchTheReference() {
        for (int n = 0; n < 200; n++) {
            byte[] a = random();
            byte[] b = random();
            assertArrayEquals(reference(a, b), Gf128.mul(a, b));
        }
    }
}
