package io.keyfed.api.verify;

import static io.keyfed.api.verify.VerifyVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@link EcdsaVerifier} against every test of Wycheproof's secp256k1 / SHA-256 / IEEE P1363 (raw r||s) file.
 * The message of each test is hashed with SHA-256 here and the digest handed to the verifier. The recovery
 * id is checked by recovering the key with the test's own affine arithmetic ({@link AffineSecp256k1}),
 * which shares no code with the verifier or BouncyCastle.
 */
class EcdsaVectorsTest {
    private static final JsonNode FILE = VerifyVectors.load("wycheproof_ecdsa_secp256k1_sha256_p1363.json");
    private static final BigInteger HALF_N = AffineSecp256k1.N.shiftRight(1);

    static Stream<Arguments> tests() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode group : FILE.get("testGroups")) {
            byte[] key = compressed(hex(group.get("publicKey").asText()));
            for (JsonNode t : group.get("tests")) {
                out.add(Arguments.of("tcId " + t.get("tcId").asInt() + " " + t.get("result").asText() + ": "
                        + t.get("comment").asText(), key, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tests")
    void everyWycheproofTestGivesItsResult(String name, byte[] key, JsonNode t) {
        byte[] digest = sha256(hex(t.get("msg").asText()));
        byte[] sig = hex(t.get("sig").asText());
        String result = t.get("result").asText();
        if (result.equals("valid")) {
            assertEquals(64, sig.length);
            assertTrue(EcdsaVerifier.verifyAnyS(key, digest, sig), "verifyAnyS");
            boolean lowS = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(HALF_N) <= 0;
            assertEquals(lowS, EcdsaVerifier.verifyLowS(key, digest, sig), "verifyLowS iff s <= n/2");
            int v = EcdsaVerifier.recoveryId(key, digest, sig);
            assertTrue(v >= 0 && v <= 3, "recovery id in 0..3");
            AffineSecp256k1.Point recovered = AffineSecp256k1.recover(new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)),
                    new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)), new BigInteger(1, digest), v);
            assertTrue(recovered != null, "recovery id " + v + " names a point");
            assertArrayEquals(key, AffineSecp256k1.compress(recovered), "recovery id " + v + " gives the key back");
        } else {
            assertEquals("invalid", result, "the file has only valid and invalid tests");
            assertFalse(EcdsaVerifier.verifyAnyS(key, digest, sig), "verifyAnyS");
            assertFalse(EcdsaVerifier.verifyLowS(key, digest, sig), "verifyLowS");
            assertThrows(IllegalArgumentException.class, () -> EcdsaVerifier.recoveryId(key, digest, sig));
        }
    }

    @Test
    void everyTestOfTheFileIsUsedAndTheEdgeCasesOccur() {
        int count = 0;
        int valid = 0;
        int highS = 0;
        int otherLength = 0;
        int largeX = 0;
        for (JsonNode group : FILE.get("testGroups")) {
            assertEquals("SHA-256", group.get("sha").asText());
            byte[] key = compressed(hex(group.get("publicKey").asText()));
            for (JsonNode t : group.get("tests")) {
                count++;
                byte[] sig = hex(t.get("sig").asText());
                if (t.get("result").asText().equals("valid")) {
                    valid++;
                    highS += new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(HALF_N) > 0 ? 1 : 0;
                    largeX += EcdsaVerifier.recoveryId(key, sha256(hex(t.get("msg").asText())), sig) >= 2 ? 1 : 0;
                }
                otherLength += sig.length != 64 ? 1 : 0;
            }
        }
        assertEquals(FILE.get("numberOfTests").asInt(), count);
        assertTrue(valid > 0 && valid < count, "valid and invalid tests");
        assertTrue(highS > 0, "some valid signatures have a high s, so verifyLowS is tested both ways");
        assertTrue(otherLength > 0, "some signatures are not 64 bytes");
        assertTrue(largeX > 0, "some nonce points have x = r + n (recovery id 2 or 3)");
    }

    /** The group's key as Wycheproof gives it (04 || x || y), compressed with the test's own arithmetic. */
    private static byte[] compressed(byte[] uncompressed) {
        assertEquals(65, uncompressed.length);
        assertEquals(4, uncompressed[0]);
        AffineSecp256k1.Point p = new AffineSecp256k1.Point(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        assertTrue(AffineSecp256k1.onCurve(p));
        return AffineSecp256k1.compress(p);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
