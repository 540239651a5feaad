package io.keyfed.api.verify;

import static io.keyfed.api.verify.VerifyVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

import io.keyfed.api.verify.AffineEd25519.Point;

/**
 * The strictness of {@link Ed25519Verifier} beyond the published vectors: small-order and non-canonical keys,
 * non-canonical and small-order nonce points, and the one place where BouncyCastle's equation alone is
 * lenient. Each forged signature here satisfies the equation it targets, checked with the test's own
 * arithmetic ({@link AffineEd25519}), so only the verifier's extra checks can refuse it.
 */
class Ed25519VerifierTest {
    /** RFC 8032 section 7.1 TEST 1. */
    private static final byte[] SEED = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] KEY = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final BigInteger A_SCALAR = AffineEd25519.secretScalar(SEED);

    /** The eight points of order dividing 8, canonically encoded, then non-canonical encodings of some. */
    private static final List<String> SMALL_ORDER_CANONICAL = List.of(
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85");
    private static final List<String> SMALL_ORDER_NON_CANONICAL = List.of(
            "0100000000000000000000000000000000000000000000000000000000000080", // identity, x = 0 with the sign bit
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // identity, y = p + 1
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // order 2, x = 0 with the sign bit
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 4, y = p
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"); // order 4, y = p, other x

    @Test
    void theTestsSmallOrderEncodingsAreWhatTheySay() {
        int[] counts = new int[9];
        for (String e : SMALL_ORDER_CANONICAL) {
            Point p = AffineEd25519.decode(hex(e));
            assertNotNull(p, e);
            assertEquals(e, hex(AffineEd25519.encode(p)), "canonical");
            counts[AffineEd25519.smallOrder(p)]++;
        }
        assertEquals(List.of(1, 1, 2, 4), List.of(counts[1], counts[2], counts[4], counts[8]), "orders 1, 2, 4, 8");
        for (String e : SMALL_ORDER_NON_CANONICAL) {
            Point p = AffineEd25519.decode(hex(e));
            if (p != null) {
                assertTrue(AffineEd25519.smallOrder(p) > 0, e);
                assertFalse(e.equals(hex(AffineEd25519.encode(p))), "non-canonical " + e);
            }
        }
    }

    @Test
    void aSmallOrderOrNonCanonicalKeyIsRefusedEvenWhenTheEquationHolds() {
        for (String e : concat(SMALL_ORDER_CANONICAL, SMALL_ORDER_NON_CANONICAL)) {
            byte[] key = hex(e);
            // R = B, S = 1: [S]B = R + [k]A holds whenever [k]A is the identity, i.e. k is a multiple of 8.
            byte[] sig = new byte[64];
            System.arraycopy(AffineEd25519.encode(AffineEd25519.B), 0, sig, 0, 32);
            sig[32] = 1;
            byte[] msg = messageWithChallengeDivisibleBy8(Arrays.copyOf(sig, 32), key);
            Point a = AffineEd25519.decode(key);
            if (a != null) {
                BigInteger k = AffineEd25519.challenge(Arrays.copyOf(sig, 32), key, msg);
                assertEquals(AffineEd25519.B, AffineEd25519.add(AffineEd25519.B, AffineEd25519.multiply(k, a)),
                        "the equation holds for " + e);
            }
            assertFalse(Ed25519Verifier.verify(key, msg, sig), e);
        }
    }

    @Test
    void aKeyWithASmallOrderComponentIsRefusedThoughTheCofactorlessEquationHolds() {
        Point t8 = AffineEd25519.decode(hex(SMALL_ORDER_CANONICAL.get(4)));
        Point a = AffineEd25519.decode(KEY);
        byte[] mixedKey = AffineEd25519.encode(AffineEd25519.add(a, t8));
        assertEquals(0, AffineEd25519.smallOrder(AffineEd25519.add(a, t8)), "not of small order");
        BigInteger r = BigInteger.valueOf(4242);
        byte[] rBytes = AffineEd25519.encode(AffineEd25519.multiply(r, AffineEd25519.B));
        byte[] msg = messageWithChallengeDivisibleBy8(rBytes, mixedKey);
        BigInteger k = AffineEd25519.challenge(rBytes, mixedKey, msg);
        // k is a multiple of 8, so [k](A + T) = [k]A and S = r + k·a satisfies [S]B = R + [k]A' exactly.
        byte[] sig = signature(rBytes, r.add(k.multiply(A_SCALAR)).mod(AffineEd25519.L));
        assertTrue(Ed25519.verify(sig, 0, mixedKey, 0, msg, 0, msg.length),
                "BouncyCastle's verify alone accepts it: it refuses small-order keys, not mixed-order ones");
        assertFalse(Ed25519Verifier.verify(mixedKey, msg, sig));
    }

    @Test
    void aNonCanonicalOrSmallOrderNonceIsRefusedButTheCanonicalIdentityIsNot() {
        byte[] msg = "nonce".getBytes(StandardCharsets.US_ASCII);
        // R = identity, S = k·a: [S]B = O + [k]A holds for any encoding of the identity.
        for (String e : List.of("0100000000000000000000000000000000000000000000000000000000000080",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")) {
            assertFalse(Ed25519Verifier.verify(KEY, msg, identityNonceSignature(hex(e), msg)), "non-canonical R " + e);
        }
        byte[] canonical = identityNonceSignature(hex(SMALL_ORDER_CANONICAL.get(0)), msg);
        assertTrue(Ed25519Verifier.verify(KEY, msg, canonical), "canonical identity R: [S]B = R + [k]A holds");
        // Any other small-order R: the signature R + T is valid only under the cofactored equation.
        for (String e : SMALL_ORDER_CANONICAL.subList(1, SMALL_ORDER_CANONICAL.size())) {
            byte[] sig = torsionNonceSignature(BigInteger.ZERO, AffineEd25519.decode(hex(e)), msg);
            assertFalse(Ed25519Verifier.verify(KEY, msg, sig), "small-order R " + e);
        }
    }

    @Test
    void aNonceWithASmallOrderComponentIsRefusedWhereBouncyCastleAloneAcceptsSome() {
        Point t8 = AffineEd25519.decode(hex(SMALL_ORDER_CANONICAL.get(4)));
        assertEquals(8, AffineEd25519.smallOrder(t8));
        int acceptedByBouncyCastle = 0;
        for (int i = 0; i < 64; i++) {
            byte[] msg = ("mixed-order nonce " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] sig = torsionNonceSignature(BigInteger.valueOf(1000 + i), t8, msg);
            assertFalse(Ed25519Verifier.verify(KEY, msg, sig), "message " + i);
            if (Ed25519.verify(sig, 0, KEY, 0, msg, 0, msg.length)) {
                acceptedByBouncyCastle++;
            }
        }
        // Documents why Ed25519Verifier checks R's order: without it, some of these would pass.
        assertTrue(acceptedByBouncyCastle > 0, "BouncyCastle's verify alone accepts some mixed-order nonces");
    }

    @Test
    void malformedInputIsRefusedWithoutThrowing() {
        byte[] msg = new byte[0];
        byte[] sig = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertTrue(Ed25519Verifier.verify(KEY, msg, sig), "RFC 8032 TEST 1 as the baseline");
        assertFalse(Ed25519Verifier.verify(null, msg, sig));
        assertFalse(Ed25519Verifier.verify(KEY, null, sig));
        assertFalse(Ed25519Verifier.verify(KEY, msg, null));
        assertFalse(Ed25519Verifier.verify(Arrays.copyOf(KEY, 31), msg, sig));
        assertFalse(Ed25519Verifier.verify(Arrays.copyOf(KEY, 33), msg, sig));
        assertFalse(Ed25519Verifier.verify(KEY, msg, Arrays.copyOf(sig, 63)));
        assertFalse(Ed25519Verifier.verify(KEY, msg, Arrays.copyOf(sig, 65)));
        byte[] allOnes = new byte[64];
        Arrays.fill(allOnes, (byte) 0xff);
        assertFalse(Ed25519Verifier.verify(KEY, msg, allOnes));
        byte[] notOnCurve = hex("0200000000000000000000000000000000000000000000000000000000000000");
        assertEquals(null, AffineEd25519.decode(notOnCurve), "y = 2 has no x on the curve");
        assertFalse(Ed25519Verifier.verify(notOnCurve, msg, sig));
    }

    /** (R, S) with R = encoding given (a point that decodes to the identity) and S = k·a mod L. */
    private static byte[] identityNonceSignature(byte[] r, byte[] msg) {
        BigInteger k = AffineEd25519.challenge(r, KEY, msg);
        return signature(r, k.multiply(A_SCALAR).mod(AffineEd25519.L));
    }

    /** R' = [r]B + T, S = r + k'·a with k' = H(R' || A || M): [8][S]B = [8]R' + [8][k']A, not without the 8. */
    private static byte[] torsionNonceSignature(BigInteger r, Point t, byte[] msg) {
        Point bigR = AffineEd25519.add(AffineEd25519.multiply(r, AffineEd25519.B), t);
        byte[] rBytes = AffineEd25519.encode(bigR);
        BigInteger k = AffineEd25519.challenge(rBytes, KEY, msg);
        return signature(rBytes, r.add(k.multiply(A_SCALAR)).mod(AffineEd25519.L));
    }

    private static byte[] signature(byte[] r, BigInteger s) {
        byte[] sig = new byte[64];
        System.arraycopy(r, 0, sig, 0, 32);
        System.arraycopy(AffineEd25519.toLittleEndian32(s), 0, sig, 32, 32);
        return sig;
    }

    private static byte[] messageWithChallengeDivisibleBy8(byte[] r, byte[] key) {
        for (int i = 0; i < 10_000; i++) {
            byte[] msg = ("small-order key " + i).getBytes(StandardCharsets.US_ASCII);
            if (AffineEd25519.challenge(r, key, msg).mod(BigInteger.valueOf(8)).signum() == 0) {
                return msg;
            }
        }
        throw new AssertionError("no message found");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
