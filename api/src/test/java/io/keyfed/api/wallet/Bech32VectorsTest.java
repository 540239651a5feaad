package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Bech32;

/** BIP-173 bech32 string vectors against io.keyfed.api.crypto.Bech32. */
class Bech32VectorsTest {
    static Stream<String> valid() {
        return Vectors.list(Vectors.load("bech32.json").get("valid")).stream().map(JsonNode::asText);
    }

    static Stream<JsonNode> invalid() {
        return Vectors.list(Vectors.load("bech32.json").get("invalid")).stream();
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validStringsPassTheChecksumAndReEncode(String s) {
        Bech32.Decoded d = assertDoesNotThrow(() -> Bech32.decode5(s));
        // Re-encoding the decoded hrp and data reproduces the (lower-cased) string, checksum included.
        assertEquals(s.toLowerCase(Locale.ROOT), Bech32.encode5(d.hrp(), d.data()));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidStringsAreRejected(JsonNode v) {
        String s = v.get("string").asText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bech32.decode5(s),
                v.get("reason").asText());
        assertTrue(e.getMessage().contains(v.get("expect").asText()),
                v.get("reason").asText() + " -> " + e.getMessage());
    }
}
