package io.keyfed.api.verify;

import static io.keyfed.api.verify.VerifyVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@link Ed25519Verifier} against RFC 8032 section 7.1 (rfc8032_ed25519.json), negative cases derived from
 * those vectors, and every test of Wycheproof's ed25519_test.json.
 */
class Ed25519VectorsTest {
    private static final JsonNode RFC = VerifyVectors.load("rfc8032_ed25519.json");
    private static final JsonNode WYCHEPROOF = VerifyVectors.load("wycheproof_ed25519.json");

    static Stream<Arguments> rfcVectors() {
        List<Arguments> out = new ArrayList<>();
        RFC.get("vectors").forEach(v -> out.add(Arguments.of(v.get("name").asText(), v)));
        return out.stream();
    }

    static Stream<Arguments> wycheproofTests() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode group : WYCHEPROOF.get("testGroups")) {
            byte[] key = hex(group.get("publicKey").asText());
            for (JsonNode t : group.get("tests")) {
                out.add(Arguments.of("tcId " + t.get("tcId").asInt() + " " + t.get("result").asText() + " "
                        + t.get("flags") + ": " + t.get("comment").asText(), key, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "RFC 8032 7.1 {0}")
    @MethodSource("rfcVectors")
    void everyRfc8032Section71VectorVerifies(String name, JsonNode v) {
        byte[] seed = hex(v.get("secretKey").asText());
        byte[] key = hex(v.get("publicKey").asText());
        byte[] msg = hex(v.get("message").asText());
        byte[] sig = hex(v.get("signature").asText());
        // The stored vector is what RFC 8032 prints: the key and the deterministic signature follow from the seed.
        byte[] derivedKey = new byte[32];
        Ed25519.generatePublicKey(seed, 0, derivedKey, 0);
        assertArrayEquals(key, derivedKey, "public key of the secret key");
        byte[] resigned = new byte[64];
        Ed25519.sign(seed, 0, msg, 0, msg.length, resigned, 0);
        assertArrayEquals(sig, resigned, "signature of the secret key");

        assertTrue(Ed25519Verifier.verify(key, msg, sig));
    }

    @ParameterizedTest(name = "RFC 8032 7.1 {0}")
    @MethodSource("rfcVectors")
    void aFlippedMessageBitOrAnotherMessageFails(String name, JsonNode v) {
        byte[] key = hex(v.get("publicKey").asText());
        byte[] msg = hex(v.get("message").asText());
        byte[] sig = hex(v.get("signature").asText());
        if (msg.length > 0) {
            for (int bit : new int[] {0, 7, msg.length * 8 - 1}) {
                byte[] m = msg.clone();
                m[bit / 8] ^= (byte) (1 << (bit % 8));
                assertFalse(Ed25519Verifier.verify(key, m, sig), "message bit " + bit);
            }
        }
        assertFalse(Ed25519Verifier.verify(key, Arrays.copyOf(msg, msg.length + 1), sig), "a byte appended");
    }

    @ParameterizedTest(name = "RFC 8032 7.1 {0}")
    @MethodSource("rfcVectors")
    void sPlusTheGroupOrderIsRefusedThoughTheEquationStillHolds(String name, JsonNode v) {
        byte[] key = hex(v.get("publicKey").asText());
        byte[] msg = hex(v.get("message").asText());
        byte[] sig = hex(v.get("signature").asText());
        BigInteger s = AffineEd25519.littleEndian(Arrays.copyOfRange(sig, 32, 64));
        BigInteger sPlusL = s.add(AffineEd25519.L);
        assertTrue(sPlusL.bitLength() <= 256, "S + L fits 32 bytes (S < L < 2^253)");
        byte[] malleated = sig.clone();
        System.arraycopy(AffineEd25519.toLittleEndian32(sPlusL), 0, malleated, 32, 32);
        assertFalse(Arrays.equals(sig, malleated));
        assertFalse(Ed25519Verifier.verify(key, msg, malleated), "S + L");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wycheproofTests")
    void everyWycheproofTestGivesItsResult(String name, byte[] key, JsonNode t) {
        String result = t.get("result").asText();
        boolean expected = switch (result) {
            case "valid" -> true;
            case "invalid" -> false;
            default -> throw new AssertionError("result " + result + " has no decision here");
        };
        assertEquals(expected, Ed25519Verifier.verify(key, hex(t.get("msg").asText()), hex(t.get("sig").asText())));
    }

    @Test
    void everyWycheproofTestIsUsed() {
        int count = 0;
        for (JsonNode group : WYCHEPROOF.get("testGroups")) {
            count += group.get("tests").size();
        }
        assertEquals(WYCHEPROOF.get("numberOfTests").asInt(), count);
        assertEquals(5, RFC.get("vectors").size());
    }
}
