package io.keyfed.party.dkg.curve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.TestSupport;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupElement#equals} and {@link Curve#isIdentity} agree with equality of canonical encodings,
 * whichever way the points were made (fixed-base, variable-base, sums, double multiplies, decoding), and
 * {@link Curve#mulBaseAddPublic} agrees with the separate operations.
 */
class PointEqualityTest {
    static final SecureRandom RNG = new SecureRandom();

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    /** The same few group elements, each made several ways. */
    static List<List<GroupElement>> sameElementsManyWays(Curve c) throws Exception {
        List<List<GroupElement>> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Scalar a = i == 0 ? c.scalarOf(1) : c.randomScalar(RNG);
            Scalar b = c.randomScalar(RNG);
            Scalar k = c.scalarAdd(a, b);
            if (k.equals(c.scalarOf(0))) {
                continue;
            }
            GroupElement fixed = c.mulBase(k);
            GroupElement sum = c.add(c.mulBase(a), c.mulBase(b));
            GroupElement varBase = c.mul(c.generator(), k);
            GroupElement viaDouble = c.mulBaseAddPublic(a, c.generator(), b);
            GroupElement viaDouble2 = c.mulBaseAddPublic(c.scalarOf(0), c.mulBase(a), c.scalarOf(1));
            viaDouble2 = c.add(viaDouble2, c.mulBaseAddPublic(b, c.identity(), c.scalarOf(0)));
            GroupElement decoded = c.decodePoint(c.encodePoint(fixed));
            out.add(List.of(fixed, sum, varBase, viaDouble, viaDouble2, decoded));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("curves")
    void equalityAgreesWithEncodingEquality(Curve c) throws Exception {
        List<List<GroupElement>> groups = sameElementsManyWays(c);
        List<GroupElement> all = new ArrayList<>();
        groups.forEach(all::addAll);
        for (GroupElement x : all) {
            for (GroupElement y : all) {
                boolean sameEncoding = Arrays.equals(c.encodePoint(x), c.encodePoint(y));
                assertEquals(sameEncoding, x.equals(y), x + " vs " + y);
                assertEquals(sameEncoding, y.equals(x));
                if (sameEncoding) {
                    assertEquals(x.hashCode(), y.hashCode());
                }
            }
        }
        for (List<GroupElement> g : groups) {
            for (GroupElement x : g) {
                assertEquals(g.get(0), x);
                assertArrayEquals(c.encodePoint(g.get(0)), c.encodePoint(x));
            }
        }
        // fresh objects, compared before either was ever encoded, in both orders
        Scalar k = c.randomScalar(RNG);
        assertEquals(c.mulBase(k), c.mul(c.generator(), k));
        assertEquals(c.mul(c.generator(), k), c.mulBase(k));
        assertNotEquals(c.mulBase(k), c.mulBase(c.scalarAdd(k, c.scalarOf(1))));
        assertNotEquals(c.mulBase(k), c.identity());
        assertNotEquals(c.identity(), c.mulBase(k));
        assertFalse(c.mulBase(k).equals(null));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void identityAgreesHoweverItIsMade(Curve c) throws Exception {
        Scalar minusOne = c.scalarNegate(c.scalarOf(1));
        Scalar k = c.randomScalar(RNG);
        GroupElement p = c.mulBase(k);
        List<GroupElement> ids = List.of(
                c.identity(),
                c.mulBase(c.scalarOf(0)),
                c.mul(p, c.scalarOf(0)),
                c.add(p, c.mul(p, minusOne)),
                c.mulBaseAddPublic(k, p, minusOne),
                c.mulBaseAddPublic(c.scalarOf(0), p, c.scalarOf(0)),
                c.add(c.identity(), c.identity()));
        for (GroupElement id : ids) {
            assertTrue(c.isIdentity(id), id.toString());
            assertEquals(c.identity(), id);
            assertEquals(c.identity().hashCode(), id.hashCode());
        }
        assertFalse(c.isIdentity(p));
        assertFalse(c.isIdentity(c.mulBaseAddPublic(k, p, c.scalarOf(1))));
        // adding the identity changes nothing
        assertEquals(p, c.add(p, c.identity()));
        assertEquals(p, c.add(c.identity(), p));
    }

    /** a·G + b·P == mulBase(a) + mul(P, b) for random and edge-case public scalars. */
    @ParameterizedTest
    @MethodSource("curves")
    void mulBaseAddPublicAgreesWithSeparateOperations(Curve c) throws Exception {
        BigInteger q = c.order();
        List<Scalar> scalars = new ArrayList<>(List.of(c.scalarOf(0), c.scalarOf(1), c.scalarOf(2),
                TestSupport.scalar(c, q.subtract(BigInteger.ONE))));
        for (int i = 0; i < 4; i++) {
            scalars.add(c.randomScalar(RNG));
        }
        GroupElement p = c.decodePoint(c.encodePoint(c.mulBase(c.randomScalar(RNG))));
        for (Scalar a : scalars) {
            for (Scalar b : scalars) {
                GroupElement expected = c.add(c.mulBase(a), c.mul(p, b));
                GroupElement got = c.mulBaseAddPublic(a, p, b);
                assertEquals(expected, got, "a=" + TestSupport.big(c, a) + " b=" + TestSupport.big(c, b));
                assertEquals(c.isIdentity(expected), c.isIdentity(got));
            }
        }
        // the proof-of-knowledge shape: R = μ·G − c·φ0 when μ = k + a0·c
        Scalar a0 = c.randomScalar(RNG);
        Scalar nonce = c.randomScalar(RNG);
        Scalar ch = c.randomScalar(RNG);
        Scalar mu = c.scalarMulAdd(a0, ch, nonce);
        GroupElement phi0 = c.mulBase(a0);
        assertEquals(c.mulBase(nonce), c.mulBaseAddPublic(mu, phi0, c.scalarNegate(ch)));
        assertNotEquals(c.mulBase(nonce), c.mulBaseAddPublic(mu, phi0, c.scalarAdd(c.scalarNegate(ch), c.scalarOf(1))));
    }
}
