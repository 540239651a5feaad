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

/** BIP-350 vectors: bech32m strings and v0-v16 segwit addresses, valid and invalid. */
class Bip350VectorsTest {
    private static final JsonNode V = Vectors.load("bip350.json");

    static Stream<String> validStrings() {
        return Vectors.list(V.get("validBech32m")).stream().map(JsonNode::asText);
    }

    static Stream<JsonNode> invalidStrings() {
        return Vectors.list(V.get("invalidBech32m")).stream();
    }

    static Stream<JsonNode> validAddresses() {
        return Vectors.list(V.get("validAddresses")).stream();
    }

    static Stream<JsonNode> invalidAddresses() {
        return Vectors.list(V.get("invalidAddresses")).stream();
    }

    @ParameterizedTest
    @MethodSource("validStrings")
    void validBech32mStringsDecodeAndReEncode(String s) {
        Bech32.Decoded d = assertDoesNotThrow(() -> Bech32.decode5(s, Bech32.Encoding.BECH32M));
        assertEquals(s.toLowerCase(Locale.ROOT), Bech32.encode5(d.hrp(), d.data(), Bech32.Encoding.BECH32M));
        assertEquals(Bech32.Encoding.BECH32M, Bech32.decode5Any(s).encoding());
    }

    /** BIP-350: no string is valid under both checksums, so these are invalid bech32. */
    @ParameterizedTest
    @MethodSource("validStrings")
    void validBech32mStringsAreNotBech32(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bech32.decode5(s));
        assertTrue(e.getMessage().contains("bech32 checksum mismatch"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("invalidStrings")
    void invalidBech32mStringsAreRefusedForTheirReason(JsonNode v) {
        String reason = v.get("reason").asText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bech32.decode5(v.get("string").asText(), Bech32.Encoding.BECH32M), reason);
        assertTrue(e.getMessage().contains(stringProblem(reason)), reason + " -> " + e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("validAddresses")
    void validAddressesDecodeToTheirScriptPubKeyAndReEncode(JsonNode v) {
        String address = v.get("address").asText();
        String lower = address.toLowerCase(Locale.ROOT);
        String hrp = lower.substring(0, lower.lastIndexOf('1'));
        SegwitAddress.Decoded d = SegwitAddress.decode(hrp, address);
        assertEquals(v.get("scriptPubKey").asText(), Vectors.hex(SegwitAddress.scriptPubKey(d)));
        assertEquals(lower, SegwitAddress.encode(hrp, d.version(), d.program()));
    }

    @ParameterizedTest
    @MethodSource("invalidAddresses")
    void invalidAddressesAreRefusedUnderEitherNetworkForTheirReason(JsonNode v) {
        String address = v.get("address").asText();
        String reason = v.get("reason").asText();
        String lower = address.toLowerCase(Locale.ROOT);
        for (String hrp : new String[] {"bc", "tb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegwitAddress.decode(hrp, address), reason);
            if (lower.startsWith(hrp + "1")) {
                assertTrue(e.getMessage().contains(addressProblem(reason)), reason + " -> " + e.getMessage());
            }
        }
    }

    /** What KeyFed's message says for each of BIP-350's reasons (the reasons are BIP-350's own words). */
    private static String stringProblem(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("out of range") || r.contains("invalid data character")
                || r.contains("invalid character in checksum")) {
            return "invalid character";
        }
        if (r.contains("max length")) {
            return "longer than";
        }
        if (r.contains("separator") || r.contains("empty hrp") || r.contains("too short checksum")) {
            return "separator";
        }
        if (r.contains("checksum calculated with uppercase")) {
            return "checksum mismatch";
        }
        throw new IllegalStateException("no expectation for reason " + reason);
    }

    private static String addressProblem(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("bech32 instead of bech32m")) {
            return "needs a bech32m checksum";
        }
        if (r.contains("bech32m instead of bech32")) {
            return "needs a bech32 checksum";
        }
        if (r.contains("human-readable part")) {
            return "prefix";
        }
        if (r.contains("invalid character")) {
            return "invalid character";
        }
        if (r.contains("witness version")) {
            return r.contains("program length") ? "program length" : "witness version";
        }
        if (r.contains("program length")) {
            return "program length";
        }
        if (r.contains("mixed case")) {
            return "case";
        }
        if (r.contains("padding")) {
            return "padding";
        }
        if (r.contains("empty data")) {
            return "empty data";
        }
        throw new IllegalStateException("no expectation for reason " + reason);
    }
}
