package io.keyfed.api.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Secp256k1;

/** {@link EcdsaVerifier} on signatures made by {@link Secp256k1} and on malformed input. */
class EcdsaVerifierTest {
    private static final BigInteger N = AffineSecp256k1.N;
    private static final BigInteger D =
            new BigInteger("1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", 16);
    private static final byte[] MESSAGE = "keyfed verifier test".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIGEST = EcdsaVectorsTest.sha256(MESSAGE);
    private static final byte[] KEY = Secp256k1.publicKeyOf(D);
    private static final byte[] SIG = Secp256k1.sign(D, MESSAGE);

    @Test
    void aLowSSignatureVerifiesBothWaysAndItsRecoveryIdGivesTheKeyBack() {
        assertTrue(EcdsaVerifier.verifyLowS(KEY, DIGEST, SIG));
        assertTrue(EcdsaVerifier.verifyAnyS(KEY, DIGEST, SIG));
        int v = EcdsaVerifier.recoveryId(KEY, DIGEST, SIG);
        assertArrayEquals(KEY, recovered(SIG, v));
    }

    @Test
    void theRecoveryIdOfManySignaturesGivesEachKeyBackUnderAnIndependentRecovery() {
        Random seeded = new Random(20261206);
        for (int i = 0; i < 200; i++) {
            BigInteger d = new BigInteger(255, seeded).add(BigInteger.ONE);
            byte[] message = ("message " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] key = Secp256k1.publicKeyOf(d);
            byte[] sig = Secp256k1.sign(d, message);
            byte[] digest = EcdsaVectorsTest.sha256(message);
            int v = EcdsaVerifier.recoveryId(key, digest, sig);
            assertArrayEquals(key, AffineSecp256k1.compress(
                    AffineSecp256k1.recover(r(sig), s(sig), new BigInteger(1, digest), v)), "signature " + i);
            assertThrows(IllegalArgumentException.class,
                    () -> EcdsaVerifier.recoveryId(Secp256k1.publicKeyOf(d.add(BigInteger.ONE)), digest, sig),
                    "another key");
        }
    }

    @Test
    void theHighSTwinVerifiesOnlyWithAnySAndRecoversWithTheOtherParity() {
        byte[] high = withS(SIG, N.subtract(s(SIG)));
        assertTrue(EcdsaVerifier.verifyAnyS(KEY, DIGEST, high));
        assertFalse(EcdsaVerifier.verifyLowS(KEY, DIGEST, high));
        int low = EcdsaVerifier.recoveryId(KEY, DIGEST, SIG);
        int v = EcdsaVerifier.recoveryId(KEY, DIGEST, high);
        assertEquals(low ^ 1, v, "negating s negates R");
        assertArrayEquals(KEY, recovered(high, v));
    }

    @Test
    void sOfExactlyHalfTheOrderIsLowAndOneMoreIsHigh() {
        BigInteger half = N.shiftRight(1);
        byte[][] atHalf = signatureWithS(half);
        byte[][] aboveHalf = signatureWithS(half.add(BigInteger.ONE));
        assertTrue(EcdsaVerifier.verifyAnyS(KEY, atHalf[0], atHalf[1]));
        assertTrue(EcdsaVerifier.verifyLowS(KEY, atHalf[0], atHalf[1]), "s = floor(n/2) is low");
        assertTrue(EcdsaVerifier.verifyAnyS(KEY, aboveHalf[0], aboveHalf[1]));
        assertFalse(EcdsaVerifier.verifyLowS(KEY, aboveHalf[0], aboveHalf[1]), "s = floor(n/2) + 1 is high");
    }

    /**
     * A valid signature with the chosen s, made with the test's own arithmetic: fix the nonce k, so
     * r = x(kG) mod n, and pick the digest e = s*k - r*d (mod n), which solves s = k^-1 (e + r*d).
     * Returns {digest, signature}.
     */
    private static byte[][] signatureWithS(BigInteger s) {
        BigInteger k = BigInteger.valueOf(0x5eed);
        BigInteger r = AffineSecp256k1.multiply(k, AffineSecp256k1.G).x().mod(N);
        BigInteger e = s.multiply(k).subtract(r.multiply(D)).mod(N);
        byte[] digest = new byte[32];
        put32(e, digest, 0);
        byte[] sig = new byte[64];
        put32(r, sig, 0);
        put32(s, sig, 32);
        return new byte[][] {digest, sig};
    }

    @Test
    void anyChangedByteOfDigestSignatureOrKeyFails() {
        for (int i = 0; i < 32; i++) {
            assertFalse(EcdsaVerifier.verifyAnyS(KEY, flip(DIGEST, i), SIG), "digest byte " + i);
        }
        for (int i = 0; i < 64; i++) {
            assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, flip(SIG, i)), "signature byte " + i);
        }
        for (int i = 1; i < 33; i++) {
            assertFalse(EcdsaVerifier.verifyAnyS(flip(KEY, i), DIGEST, SIG), "key byte " + i);
        }
        byte[] otherParity = KEY.clone();
        otherParity[0] ^= 1;
        assertFalse(EcdsaVerifier.verifyAnyS(otherParity, DIGEST, SIG), "the negated key");
    }

    @Test
    void malformedInputIsRefusedWithoutThrowing() {
        assertFalse(EcdsaVerifier.verifyAnyS(null, DIGEST, SIG));
        assertFalse(EcdsaVerifier.verifyAnyS(KEY, null, SIG));
        assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, null));
        assertFalse(EcdsaVerifier.verifyLowS(null, DIGEST, SIG));
        assertFalse(EcdsaVerifier.verifyLowS(KEY, DIGEST, null));
        assertFalse(EcdsaVerifier.verifyAnyS(Arrays.copyOf(KEY, 32), DIGEST, SIG), "short key");
        assertFalse(EcdsaVerifier.verifyAnyS(KEY, Arrays.copyOf(DIGEST, 31), SIG), "short digest");
        assertFalse(EcdsaVerifier.verifyAnyS(KEY, Arrays.copyOf(DIGEST, 33), SIG), "long digest");
        assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, Arrays.copyOf(SIG, 63)), "short signature");
        assertFalse(EcdsaVerifier.verifyLowS(KEY, DIGEST, Arrays.copyOf(SIG, 65)), "long signature");
        byte[] uncompressedPrefix = KEY.clone();
        uncompressedPrefix[0] = 4;
        assertFalse(EcdsaVerifier.verifyAnyS(uncompressedPrefix, DIGEST, SIG), "prefix 04");
        byte[] xTooBig = new byte[33];
        Arrays.fill(xTooBig, (byte) 0xff);
        xTooBig[0] = 2;
        assertFalse(EcdsaVerifier.verifyAnyS(xTooBig, DIGEST, SIG), "x >= p");
        byte[] offCurve = new byte[33];
        offCurve[0] = 2;
        offCurve[32] = 5; // x = 5: 5^3 + 7 = 132 is not a square mod p
        assertFalse(AffineSecp256k1.withX(BigInteger.valueOf(5), false) != null, "x = 5 is off the curve");
        assertFalse(EcdsaVerifier.verifyAnyS(offCurve, DIGEST, SIG), "x not on the curve");
    }

    @Test
    void rAndSOutsideOneToNMinusOneAreRefused() {
        BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, N, N.add(BigInteger.ONE), max}) {
            assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, withR(SIG, bad)), "r = " + bad);
            assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, withS(SIG, bad)), "s = " + bad);
            assertFalse(EcdsaVerifier.verifyLowS(KEY, DIGEST, withR(SIG, bad)), "low-S, r = " + bad);
        }
        // s + n and r + n are the same residues but out of range.
        BigInteger sPlusN = s(SIG).add(N);
        if (sPlusN.bitLength() <= 256) {
            assertFalse(EcdsaVerifier.verifyAnyS(KEY, DIGEST, withS(SIG, sPlusN)));
        }
    }

    @Test
    void recoveryIdRefusesASignatureThatDoesNotVerify() {
        assertThrows(IllegalArgumentException.class, () -> EcdsaVerifier.recoveryId(KEY, flip(DIGEST, 0), SIG));
        assertThrows(IllegalArgumentException.class, () -> EcdsaVerifier.recoveryId(KEY, DIGEST, new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> EcdsaVerifier.recoveryId(null, DIGEST, SIG));
    }

    /** The key recovered from (r, s, v) over DIGEST by the test's own arithmetic. */
    private static byte[] recovered(byte[] sig, int v) {
        return AffineSecp256k1.compress(AffineSecp256k1.recover(r(sig), s(sig), new BigInteger(1, DIGEST), v));
    }

    private static BigInteger r(byte[] sig) {
        return new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    }

    private static BigInteger s(byte[] sig) {
        return new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    }

    private static byte[] withR(byte[] sig, BigInteger r) {
        byte[] out = sig.clone();
        put32(r, out, 0);
        return out;
    }

    private static byte[] withS(byte[] sig, BigInteger s) {
        byte[] out = sig.clone();
        put32(s, out, 32);
        return out;
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        Arrays.fill(out, off, off + 32, (byte) 0);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    private static byte[] flip(byte[] b, int i) {
        byte[] out = b.clone();
        out[i] ^= 1;
        return out;
    }
}
