package io.keyfed.api.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link Secp256k1#verify} gives the same verdict on libsecp256k1 (JNI) and on BouncyCastle, over every test of
 * Wycheproof's secp256k1 / SHA-256 / P1363 file (a valid signature with high S is refused by both) and over
 * malformed keys, and {@link Secp256k1#decodePublicKey} decodes the same points and refuses the same keys on
 * both; the native library really loads on the platforms it ships for, and can be switched off.
 */
class Secp256k1BackendsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

    private static fr.acinq.secp256k1.Secp256k1 nativeLib() {
        fr.acinq.secp256k1.Secp256k1 lib = LibSecp256k1.load(null);
        assertNotNull(lib, "libsecp256k1 must load on linux x86-64 (this test would otherwise check nothing native)");
        return lib;
    }

    @Test
    void theNativeLibraryLoadsHereAndIsWhatVerifyUses() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            nativeLib();
            assertEquals("libsecp256k1", Secp256k1.backend());
        }
    }

    @Test
    void settingItToFalseKeepsBouncyCastle() {
        assertNull(LibSecp256k1.load("false"));
        assertNull(LibSecp256k1.load(" FALSE "));
        assertNotNull(LibSecp256k1.load("true"));
    }

    @Test
    void bothBackendsGiveEveryWycheproofVerdict() throws Exception {
        fr.acinq.secp256k1.Secp256k1 lib = nativeLib();
        JsonNode file;
        try (InputStream in = Secp256k1BackendsTest.class
                .getResourceAsStream("/vectors/wycheproof_ecdsa_secp256k1_sha256_p1363.json")) {
            file = new ObjectMapper().readTree(in);
        }
        int tests = 0;
        int accepted = 0;
        for (JsonNode group : file.get("testGroups")) {
            byte[] key = compress(HEX.parseHex(group.get("publicKey").asText()));
            for (JsonNode t : group.get("tests")) {
                byte[] msg = HEX.parseHex(t.get("msg").asText());
                byte[] sig = HEX.parseHex(t.get("sig").asText());
                boolean expected = t.get("result").asText().equals("valid") && sig.length == 64
                        && new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(HALF_N) <= 0;
                String name = "tcId " + t.get("tcId").asInt();
                assertEquals(expected, Secp256k1.verify(key, msg, sig, lib), name + " on libsecp256k1");
                assertEquals(expected, Secp256k1.verify(key, msg, sig, null), name + " on BouncyCastle");
                tests++;
                accepted += expected ? 1 : 0;
            }
        }
        assertTrue(tests == file.get("numberOfTests").asInt() && accepted > 20, tests + " tests, " + accepted + " accepted");
    }

    @Test
    void bothBackendsRefuseKeysThatAreNotCompressedPoints() {
        fr.acinq.secp256k1.Secp256k1 lib = nativeLib();
        BigInteger d = BigInteger.valueOf(123456789);
        byte[] msg = "keyfed".getBytes();
        byte[] sig = Secp256k1.sign(d, msg);
        byte[] key = Secp256k1.publicKeyOf(d);
        byte[] notOnCurve = key.clone();
        notOnCurve[32] ^= 1; // x with no square root of x^3 + 7, or another key: either way not this signer
        byte[] xTooLarge = new byte[33];
        Arrays.fill(xTooLarge, (byte) 0xff);
        xTooLarge[0] = 2;
        byte[] badPrefix = key.clone();
        badPrefix[0] = 4;
        for (fr.acinq.secp256k1.Secp256k1 backend : new fr.acinq.secp256k1.Secp256k1[] { lib, null }) {
            String which = backend == null ? "BouncyCastle" : "libsecp256k1";
            assertTrue(Secp256k1.verify(key, msg, sig, backend), which + ": the good signature");
            assertFalse(Secp256k1.verify(notOnCurve, msg, sig, backend), which + ": changed x");
            assertFalse(Secp256k1.verify(xTooLarge, msg, sig, backend), which + ": x above p");
            assertFalse(Secp256k1.verify(badPrefix, msg, sig, backend), which + ": prefix 4 on 33 bytes");
            assertFalse(Secp256k1.verify(Arrays.copyOf(key, 32), msg, sig, backend), which + ": 32 bytes");
            assertFalse(Secp256k1.verify(null, msg, sig, backend), which + ": null key");
            assertFalse(Secp256k1.verify(key, msg, Arrays.copyOf(sig, 63), backend), which + ": 63-byte signature");
            for (byte[] bad : new byte[][] { xTooLarge, badPrefix, Arrays.copyOf(key, 32), null }) {
                assertThrows(IllegalArgumentException.class, () -> Secp256k1.decodePublicKey(bad, backend), which);
            }
        }
    }

    @Test
    void bothBackendsDecodeTheSamePointsAndRefuseTheSameKeys() {
        fr.acinq.secp256k1.Secp256k1 lib = nativeLib();
        SecureRandom rng = new SecureRandom();
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            byte[] candidate = new byte[33];
            rng.nextBytes(candidate);
            candidate[0] = (byte) (2 + (i & 1)); // about half of all x have no point: both must refuse those
            ECPoint onBc = null;
            try {
                onBc = Secp256k1.decodePublicKey(candidate, null);
            } catch (IllegalArgumentException e) {
                refused++;
                assertThrows(IllegalArgumentException.class, () -> Secp256k1.decodePublicKey(candidate, lib));
                continue;
            }
            assertEquals(onBc, Secp256k1.decodePublicKey(candidate, lib), "the same point");
            assertArrayEquals(candidate, Secp256k1.decodePublicKey(candidate, lib).getEncoded(true));
        }
        assertTrue(refused > 100 && refused < 400, "about half the random x are not on the curve: " + refused);
    }

    private static byte[] compress(byte[] uncompressed) {
        return Secp256k1.PARAMS.getCurve().decodePoint(uncompressed).getEncoded(true);
    }
}
