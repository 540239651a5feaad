package io.keyfed.party.dkg.curve;

import static io.keyfed.party.dkg.TestSupport.hex;
import static io.keyfed.party.dkg.TestSupport.vectors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.EdwardsPoint;
import com.fasterxml.jackson.databind.JsonNode;
import io.keyfed.party.dkg.TestSupport;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every rejection of {@link Ed25519Curve#decodePoint}, each one on its own reason (the message names the
 * check that fired), cross-checked against curve25519-elisabeth where the library can tell.
 */
class Ed25519PointValidationTest {
    static final Curve ED = Ed25519Curve.INSTANCE;
    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final SecureRandom RNG = new SecureRandom();

    static String rejection(byte[] enc) {
        return assertThrows(InvalidEncodingException.class, () -> ED.decodePoint(enc), TestSupport.hex(enc))
                .getMessage();
    }

    static byte[] withSign(byte[] enc, boolean negative) {
        byte[] out = enc.clone();
        out[31] = (byte) (negative ? out[31] | 0x80 : out[31] & 0x7F);
        return out;
    }

    static List<EdwardsPoint> torsion() throws Exception {
        List<EdwardsPoint> out = new ArrayList<>();
        for (JsonNode p : vectors("ed25519_small_order.json").get("points")) {
            out.add(new CompressedEdwardsY(hex(p.get("encoding").asText())).decompress());
        }
        return out;
    }

    static EdwardsPoint randomPrimeOrderPoint() throws Exception {
        byte[] enc = ED.encodePoint(ED.mulBase(ED.randomScalar(RNG)));
        return new CompressedEdwardsY(enc).decompress();
    }

    @Test
    void wrongLengthIsRejected() {
        byte[] g = ED.encodePoint(ED.generator());
        for (int len : new int[] {0, 1, 31, 33, 64}) {
            byte[] b = java.util.Arrays.copyOf(g, len);
            assertTrue(rejection(b).contains("32 bytes"), "length " + len);
        }
        assertThrows(InvalidEncodingException.class, () -> ED.decodePoint(null));
    }

    /**
     * y + p for every y &lt; 19 (the only y whose non-canonical form fits in 255 bits), with either sign:
     * all rejected as y &gt;= p before decompression, including the ones the library itself would accept
     * by reducing y mod p (there must be some, or the check is not exercised).
     */
    @Test
    void nonCanonicalYAtLeastPIsRejected() {
        int libraryAccepts = 0;
        for (int y = 0; y < 19; y++) {
            for (boolean sign : new boolean[] {false, true}) {
                byte[] enc = withSign(TestSupport.le32(P.add(BigInteger.valueOf(y))), sign);
                assertTrue(rejection(enc).contains("y >= p"), "y=p+" + y);
                try {
                    new CompressedEdwardsY(enc.clone()).decompress();
                    libraryAccepts++;
                } catch (cafe.cryptography.curve25519.InvalidEncodingException e) {
                    // not on the curve either
                }
            }
        }
        assertTrue(libraryAccepts > 0, "no y + p that the library decompresses");
        // the all-ones y (2^255 − 1) too
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertTrue(rejection(ones).contains("y >= p"));
        assertTrue(rejection(withSign(ones, false)).contains("y >= p"));
    }

    /** x = 0 happens only at y = ±1; both with the sign bit set are the "negative zero" encodings. */
    @Test
    void negativeZeroIsRejected() {
        byte[] identityNegZero = hex("0100000000000000000000000000000000000000000000000000000000000080");
        byte[] orderTwoNegZero = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
        assertTrue(rejection(identityNegZero).contains("sign bit"));
        assertTrue(rejection(orderTwoNegZero).contains("sign bit"));
    }

    @Test
    void offCurveIsRejected() {
        // y = 2 has no x on edwards25519 (the library agrees)
        byte[] two = TestSupport.le32(BigInteger.TWO);
        assertThrows(cafe.cryptography.curve25519.InvalidEncodingException.class,
                () -> new CompressedEdwardsY(two.clone()).decompress());
        assertTrue(rejection(two).contains("not on the curve"));
        assertTrue(rejection(withSign(two, true)).contains("not on the curve"));
    }

    @Test
    void everySmallOrderPointIsRejectedAsSmallOrder() throws Exception {
        JsonNode pts = vectors("ed25519_small_order.json").get("points");
        assertEquals(8, pts.size());
        for (JsonNode p : pts) {
            byte[] enc = hex(p.get("encoding").asText());
            EdwardsPoint q = new CompressedEdwardsY(enc.clone()).decompress();
            assertTrue(q.isSmallOrder());
            assertArrayEquals(enc, q.compress().toByteArray(), "vector not canonical");
            assertTrue(rejection(enc).contains("small-order"), p.get("encoding").asText());
        }
    }

    /** P + T for random prime-order P and each non-trivial T in E[8]: rejected for its torsion component. */
    @Test
    void pointWithTorsionComponentIsRejected() throws Exception {
        for (EdwardsPoint t : torsion()) {
            if (t.isIdentity()) {
                continue;
            }
            for (int i = 0; i < 4; i++) {
                EdwardsPoint p = randomPrimeOrderPoint();
                byte[] mixed = p.add(t).compress().toByteArray();
                EdwardsPoint m = new CompressedEdwardsY(mixed.clone()).decompress();
                assertFalse(m.isSmallOrder());
                assertFalse(m.isTorsionFree()); // the library's constant-time check agrees
                assertTrue(rejection(mixed).contains("torsion"), TestSupport.hex(mixed));
            }
        }
    }

    /** Points of the prime-order subgroup decode, keep their encoding and equal the computed point. */
    @Test
    void primeOrderPointsAreAccepted() throws Exception {
        for (int i = 0; i < 32; i++) {
            Scalar k = ED.randomScalar(RNG);
            GroupElement computed = ED.mulBase(k);
            byte[] enc = ED.encodePoint(computed);
            EdwardsPoint lib = new CompressedEdwardsY(enc.clone()).decompress();
            assertTrue(lib.isTorsionFree());
            GroupElement decoded = ED.decodePoint(enc);
            assertEquals(computed, decoded);
            assertArrayEquals(enc, ED.encodePoint(decoded));
            // the returned encoding is a copy: mutating it leaves the point alone
            byte[] copy = ED.encodePoint(decoded);
            copy[0] ^= 1;
            assertArrayEquals(enc, ED.encodePoint(decoded));
        }
        assertEquals(ED.generator(), ED.decodePoint(ED.encodePoint(ED.generator())));
    }

    /** The variable-time multiply agrees with the library's constant-time one. */
    @Test
    void variableTimeMultiplyAgreesWithConstantTime() throws Exception {
        EdwardsPoint p = randomPrimeOrderPoint();
        GroupElement pe = ED.decodePoint(p.compress().toByteArray());
        List<BigInteger> ks = new ArrayList<>();
        for (int k = 0; k <= 10; k++) {
            ks.add(BigInteger.valueOf(k));
        }
        ks.add(ED.order().subtract(BigInteger.ONE));
        for (int i = 0; i < 16; i++) {
            ks.add(TestSupport.big(ED, ED.randomScalar(RNG)));
        }
        for (BigInteger k : ks) {
            byte[] le = TestSupport.le32(k);
            EdwardsPoint expected = p.multiply(cafe.cryptography.curve25519.Scalar.fromCanonicalBytes(le));
            GroupElement got = ED.mul(pe, TestSupport.scalar(ED, k));
            if (k.signum() == 0) {
                assertTrue(ED.isIdentity(got));
            } else {
                assertArrayEquals(expected.compress().toByteArray(), ED.encodePoint(got), "k=" + k);
            }
        }
    }
}
