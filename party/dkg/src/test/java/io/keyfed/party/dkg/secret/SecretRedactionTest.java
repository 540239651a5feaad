package io.keyfed.party.dkg.secret;

import static io.keyfed.party.dkg.TestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.Harness;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.TestSupport;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretRedactionTest {
    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    static void assertRedacted(String s, BigInteger secret, byte[] encoded) {
        String lower = s.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains(hex(encoded)), s);
        assertFalse(lower.contains(secret.toString(16)), s);
        assertFalse(s.contains(secret.toString()), s);
        assertTrue(s.contains("REDACTED"), s);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void secretTypesDoNotPrintTheirValues(Curve c) throws DkgAbort {
        List<DkgResult> rs = LocalFederation.run(c, 2, 3, io.keyfed.party.dkg.TestSessions.example(1, 3, 2));
        SecretShare s = rs.get(0).secretShare();
        BigInteger v = TestSupport.big(c, s.value());
        assertRedacted(s.toString(), v, s.toBytes());
        assertRedacted(rs.get(0).toString(), v, s.toBytes());

        SecretPolynomial f = SecretPolynomial.random(c, 3, new SecureRandom());
        for (int k = 0; k < 3; k++) {
            assertRedacted(f.toString(), TestSupport.big(c, f.coefficient(k)), c.encodeScalar(f.coefficient(k)));
            assertRedacted(f.coefficient(k).toString(), TestSupport.big(c, f.coefficient(k)),
                    c.encodeScalar(f.coefficient(k)));
        }

        Round2Package p = Harness.started(c, 2, 3).shareOf(1, 2);
        assertRedacted(p.toString(), TestSupport.big(c, p.share()), c.encodeScalar(p.share()));
        // round outputs (records holding secret state) print only redacted markers
        io.keyfed.party.dkg.Dkg.Round1Output o = io.keyfed.party.dkg.Dkg.round1(new io.keyfed.party.dkg.DkgParameters(
                c, 2, 3, 1, Harness.started(c, 2, 3).round1(1).sessionId()), new SecureRandom());
        assertTrue(o.toString().contains("Round1State[participant=1, REDACTED]"), o.toString());
        assertFalse(o.toString().matches(".*[0-9a-f]{32}.*"), o.toString());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void destroyWipesBuffers(Curve c) throws Exception {
        Scalar v = c.scalarOf(12345);
        SecretShare s = new SecretShare(c, 1, v);
        v.destroy(); // the share holds its own copy
        byte[] before = s.toBytes();
        assertEquals(c.scalarOf(12345), SecretShare.fromBytes(c, 1, before).value());
        Scalar held = s.value();
        s.destroy();
        assertTrue(s.isDestroyed());
        assertTrue(held.isDestroyed());
        java.lang.reflect.Field buf = Scalar.class.getDeclaredField("encoding");
        buf.setAccessible(true);
        assertArrayEquals(new byte[32], (byte[]) buf.get(held));
        assertThrows(IllegalStateException.class, s::toBytes);
        assertThrows(IllegalStateException.class, s::value);
        assertThrows(IllegalStateException.class, () -> c.encodeScalar(held));

        SecretPolynomial f = SecretPolynomial.random(c, 2, new SecureRandom());
        Scalar a0 = f.coefficient(0);
        f.destroy();
        assertArrayEquals(new byte[32], (byte[]) buf.get(a0));
        assertThrows(IllegalStateException.class, () -> f.evaluate(c.scalarOf(1)));

        Round2Package p = new Round2Package(c, 1, 2, Harness.started(c, 2, 3).round1(1).sessionId(), c.scalarOf(10));
        p.destroy();
        assertThrows(IllegalStateException.class, p::share);
        assertThrows(IllegalStateException.class, p::encode);
    }
}
