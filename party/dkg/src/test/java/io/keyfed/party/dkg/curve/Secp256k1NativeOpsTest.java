package io.keyfed.party.dkg.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

/**
 * secp256k1's multiplications on libsecp256k1 give exactly BouncyCastle's results (random scalars and points, and
 * the edges: 0, 1, n − 1, the identity as base); the library loads where it ships (the suite's other execution,
 * with {@code keyfed.secp256k1.native=false}, runs every test on BouncyCastle), and the switch turns it off.
 */
class Secp256k1NativeOpsTest {
    private static final Secp256k1Curve NATIVE = Secp256k1Curve.INSTANCE;
    private static final Secp256k1Curve BC = Secp256k1Curve.bouncyCastle();
    private static final boolean SWITCHED_OFF = "false".equalsIgnoreCase(
            System.getProperty(Secp256k1NativeOps.PROPERTY, ""));

    @Test
    void theLibraryLoadsOnLinuxX64UnlessSwitchedOff() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (SWITCHED_OFF) {
            assertEquals("bouncycastle", NATIVE.backend());
            assertNull(Secp256k1NativeOps.library());
        } else if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertEquals("libsecp256k1", NATIVE.backend());
            assertNotNull(Secp256k1NativeOps.library());
        }
        assertEquals("bouncycastle", BC.backend());
    }

    @Test
    void randomMultiplicationsAgreeWithBouncyCastle() {
        SecureRandom rng = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            Scalar k = NATIVE.randomScalar(rng);
            GroupElement p = BC.mulBase(BC.randomScalar(rng));
            assertEquals(BC.mulBase(k), NATIVE.mulBase(k), "k·G");
            assertEquals(BC.mul(p, k), NATIVE.mul(p, k), "k·P");
            assertEquals(BC.mulSecret(p, k), NATIVE.mulSecret(p, k), "k·P, secret k");
            assertEquals(NATIVE.mul(p, k), NATIVE.mulSecret(p, k), "mul and mulSecret");
            Scalar b = NATIVE.randomScalar(rng);
            assertEquals(BC.mulBaseAddPublic(k, p, b), NATIVE.mulBaseAddPublic(k, p, b), "a·G + b·P");
        }
    }

    @Test
    void theEdgesAgreeWithBouncyCastle() throws Exception {
        GroupElement p = BC.mulBase(BC.scalarOf(7));
        Scalar nMinus1 = NATIVE.decodeScalar(bytes32(NATIVE.order().subtract(BigInteger.ONE)));
        for (Scalar k : new Scalar[] { NATIVE.scalarOf(0), NATIVE.scalarOf(1), NATIVE.scalarOf(2), nMinus1 }) {
            assertEquals(BC.mulBase(k), NATIVE.mulBase(k));
            assertEquals(BC.mul(p, k), NATIVE.mul(p, k));
            assertEquals(BC.mulSecret(p, k), NATIVE.mulSecret(p, k));
            assertTrue(NATIVE.isIdentity(NATIVE.mul(NATIVE.identity(), k)), "k·O");
            assertTrue(NATIVE.isIdentity(NATIVE.mulSecret(NATIVE.identity(), k)), "k·O, secret k");
        }
        assertTrue(NATIVE.isIdentity(NATIVE.mulBase(NATIVE.scalarOf(0))), "0·G");
        for (Scalar a : new Scalar[] { NATIVE.scalarOf(0), NATIVE.scalarOf(3), nMinus1 }) {
            for (Scalar b : new Scalar[] { NATIVE.scalarOf(0), NATIVE.scalarOf(5), nMinus1 }) {
                assertEquals(BC.mulBaseAddPublic(a, p, b), NATIVE.mulBaseAddPublic(a, p, b), "a·G + b·P");
                assertEquals(BC.mulBaseAddPublic(a, BC.identity(), b), NATIVE.mulBaseAddPublic(a, NATIVE.identity(), b),
                        "a·G + b·O");
            }
        }
        // 7·G + (n − 1)·(7·G) is the identity: the sum at infinity that the library's own combination refuses
        assertTrue(NATIVE.isIdentity(NATIVE.mulBaseAddPublic(NATIVE.scalarOf(7), p, nMinus1)), "7·G − 7·G");
        assertTrue(NATIVE.isIdentity(NATIVE.add(NATIVE.mulBase(nMinus1), NATIVE.generator())), "(n−1)·G + G");
    }

    private static byte[] bytes32(BigInteger v) {
        byte[] out = new byte[32];
        byte[] b = v.toByteArray();
        System.arraycopy(b, Math.max(0, b.length - 32), out, Math.max(0, 32 - b.length), Math.min(32, b.length));
        return out;
    }
}
