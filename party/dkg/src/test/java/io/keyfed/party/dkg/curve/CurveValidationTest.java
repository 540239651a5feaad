package io.keyfed.party.dkg.curve;

import io.keyfed.party.dkg.TestSupport;

import static io.keyfed.party.dkg.TestSupport.hex;
import static io.keyfed.party.dkg.TestSupport.vectors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.EdwardsPoint;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

public class CurveValidationTest {
    static final BigInteger P25519 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger PK1 = new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void scalarEncodingIsFixedLengthAndRejectsOrder(Curve c) throws Exception {
        BigInteger q = c.order();
        byte[] top = c.encodeScalar(TestSupport.scalar(c, q.subtract(BigInteger.ONE)));
        assertEquals(32, top.length);
        assertEquals(q.subtract(BigInteger.ONE), TestSupport.big(c, c.decodeScalar(top)));
        assertEquals(c.scalarOf(1), c.decodeScalar(c.encodeScalar(c.scalarOf(1))));
        // q itself and q+1 are not canonical
        byte[] qEnc = c.id() == CurveId.SECP256K1 ? TestSupport.be32(q) : TestSupport.le32(q);
        assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(qEnc));
        byte[] q1 = c.id() == CurveId.SECP256K1 ? TestSupport.be32(q.add(BigInteger.ONE)) : TestSupport.le32(q.add(BigInteger.ONE));
        assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(q1));
        byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xFF);
        assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(ff));
        assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(new byte[31]));
        assertThrows(InvalidEncodingException.class, () -> c.decodeScalar(new byte[33]));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void randomScalarsAreInRangeAndDistinct(Curve c) {
        SecureRandom rng = new SecureRandom();
        BigInteger a = TestSupport.big(c, c.randomScalar(rng));
        BigInteger b = TestSupport.big(c, c.randomScalar(rng));
        assertTrue(a.signum() > 0 && a.compareTo(c.order()) < 0);
        assertNotEquals(a, b);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void pointRoundTripAndIdentity(Curve c) throws Exception {
        GroupElement p = c.mulBase(c.randomScalar(new SecureRandom()));
        byte[] enc = c.encodePoint(p);
        assertEquals(c.pointLength(), enc.length);
        assertEquals(p, c.decodePoint(enc));
        assertTrue(c.isIdentity(c.identity()));
        assertTrue(c.isIdentity(c.mulBase(c.scalarOf(0))));
        assertTrue(c.isIdentity(c.add(p, c.mul(p, TestSupport.scalar(c, c.order().subtract(BigInteger.ONE))))));
        assertFalse(c.isIdentity(p));
        assertThrows(IllegalArgumentException.class, () -> c.encodePoint(c.identity()));
        assertThrows(InvalidEncodingException.class, () -> c.decodePoint(Arrays.copyOf(enc, enc.length - 1)));
        assertThrows(InvalidEncodingException.class, () -> c.decodePoint(Arrays.copyOf(enc, enc.length + 1)));
        assertThrows(InvalidEncodingException.class, () -> c.decodePoint(null));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void hashToScalarIsDomainSeparated(Curve c) {
        byte[] m = {1, 2, 3};
        Scalar a = c.hashToScalar("pok", m);
        assertEquals(a, c.hashToScalar("pok", m));
        assertNotEquals(a, c.hashToScalar("pol", m));
        assertNotEquals(a, c.hashToScalar("pok", new byte[] {1, 2, 4}));
        assertTrue(TestSupport.big(c, a).compareTo(c.order()) < 0);
    }

    @Test
    void secp256k1RejectsOffCurveAndBadPrefixes() throws Exception {
        Curve k1 = Secp256k1Curve.INSTANCE;
        byte[] g = k1.encodePoint(k1.generator());
        byte[] uncompressedPrefix = g.clone();
        uncompressedPrefix[0] = 0x04;
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(uncompressedPrefix));
        byte[] zeroPrefix = g.clone();
        zeroPrefix[0] = 0x00;
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(zeroPrefix));
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(new byte[33]));
        // x = p (not a field element) and an x with no point on the curve
        byte[] xp = new byte[33];
        xp[0] = 0x02;
        System.arraycopy(TestSupport.be32(PK1), 0, xp, 1, 32);
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(xp));
        BigInteger x = offCurveX();
        byte[] off = new byte[33];
        off[0] = 0x02;
        System.arraycopy(TestSupport.be32(x), 0, off, 1, 32);
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(off));
        off[0] = 0x03;
        assertThrows(InvalidEncodingException.class, () -> k1.decodePoint(off));
    }

    /** Smallest x ≥ 1 with x³ + 7 a non-residue mod p (Euler's criterion). */
    public static BigInteger offCurveX() {
        BigInteger e = PK1.subtract(BigInteger.ONE).shiftRight(1);
        for (BigInteger x = BigInteger.ONE; ; x = x.add(BigInteger.ONE)) {
            BigInteger rhs = x.pow(3).add(BigInteger.valueOf(7)).mod(PK1);
            if (!rhs.modPow(e, PK1).equals(BigInteger.ONE)) {
                return x;
            }
        }
    }

    @Test
    void ed25519RejectsEverySmallOrderPoint() throws Exception {
        Curve ed = Ed25519Curve.INSTANCE;
        JsonNode pts = vectors("ed25519_small_order.json").get("points");
        assertEquals(8, pts.size());
        for (JsonNode p : pts) {
            byte[] enc = hex(p.get("encoding").asText());
            // cross-check the list itself with the library
            EdwardsPoint q = new CompressedEdwardsY(enc).decompress();
            assertTrue(q.isSmallOrder(), p.get("encoding").asText());
            assertThrows(InvalidEncodingException.class, () -> ed.decodePoint(enc), p.get("encoding").asText());
        }
    }

    @Test
    void ed25519RejectsMixedOrderPoints() throws Exception {
        Curve ed = Ed25519Curve.INSTANCE;
        JsonNode pts = vectors("ed25519_small_order.json").get("points");
        EdwardsPoint b = Constants.ED25519_BASEPOINT;
        for (JsonNode p : pts) {
            if (p.get("order").asInt() == 1) {
                continue;
            }
            EdwardsPoint torsion = new CompressedEdwardsY(hex(p.get("encoding").asText())).decompress();
            byte[] mixed = b.add(torsion).compress().toByteArray();
            // on the curve, not small order, but with a torsion component
            assertFalse(new CompressedEdwardsY(mixed).decompress().isSmallOrder());
            assertThrows(InvalidEncodingException.class, () -> ed.decodePoint(mixed));
        }
        // the basepoint itself is fine
        assertEquals(ed.generator(), ed.decodePoint(b.compress().toByteArray()));
    }

    @Test
    void ed25519RejectsNonCanonicalAndOffCurveEncodings() {
        Curve ed = Ed25519Curve.INSTANCE;
        // y + p for small y: non-canonical (or not on the curve)
        for (int y = 0; y < 19; y++) {
            byte[] enc = TestSupport.le32(P25519.add(BigInteger.valueOf(y)));
            assertThrows(InvalidEncodingException.class, () -> ed.decodePoint(enc), "y=" + y);
        }
        // "negative zero": x = 0 with the sign bit set
        byte[] negZero = hex("0100000000000000000000000000000000000000000000000000000000000080");
        assertThrows(InvalidEncodingException.class, () -> ed.decodePoint(negZero));
        // a y with no x on the curve: y = 2 is not on edwards25519 (cross-checked by the library)
        byte[] two = TestSupport.le32(BigInteger.TWO);
        assertThrows(cafe.cryptography.curve25519.InvalidEncodingException.class,
                () -> new CompressedEdwardsY(two).decompress());
        assertThrows(InvalidEncodingException.class, () -> ed.decodePoint(two));
    }
}
