package io.keyfed.api.verify;

import static io.keyfed.api.verify.VerifyVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link Bip340Verifier} against every row of BIP-340's test-vectors.csv (bip340.json). */
class Bip340VectorsTest {
    private static final JsonNode FILE = VerifyVectors.load("bip340.json");

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode row : FILE.get("rows")) {
            String comment = row.get("comment").asText();
            out.add(Arguments.of(row.get("index").asInt() + (comment.isEmpty() ? "" : ": " + comment), row));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "row {0}")
    @MethodSource("rows")
    void everyRowOfBip340sCsvGivesItsResult(String name, JsonNode row) {
        boolean expected = row.get("result").asBoolean();
        assertEquals(expected, Bip340Verifier.verify(hex(row.get("publicKey").asText()),
                hex(row.get("message").asText()), hex(row.get("signature").asText())), name);
    }

    @Test
    void theFileHoldsAllNineteenRowsWithBothResultsAndEveryMessageLength() {
        JsonNode rows = FILE.get("rows");
        assertEquals(19, rows.size());
        long invalid = 0;
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).get("index").asInt());
            invalid += rows.get(i).get("result").asBoolean() ? 0 : 1;
            lengths.add(hex(rows.get(i).get("message").asText()).length);
        }
        assertTrue(invalid >= 10, "the negative rows are there");
        assertTrue(lengths.containsAll(List.of(0, 1, 17, 32, 100)), "messages of other lengths than 32 are there");
    }

    @Test
    void aValidRowFailsOnceAnyPartOfItChanges() {
        JsonNode row = FILE.get("rows").get(1);
        byte[] key = hex(row.get("publicKey").asText());
        byte[] msg = hex(row.get("message").asText());
        byte[] sig = hex(row.get("signature").asText());
        assertTrue(Bip340Verifier.verify(key, msg, sig));
        for (int bit : new int[] {0, 7, 255}) {
            assertFalse(Bip340Verifier.verify(flip(key, bit), msg, sig), "key bit " + bit);
            assertFalse(Bip340Verifier.verify(key, flip(msg, bit), sig), "message bit " + bit);
            assertFalse(Bip340Verifier.verify(key, msg, flip(sig, bit)), "r bit " + bit);
            assertFalse(Bip340Verifier.verify(key, msg, flip(sig, 256 + bit)), "s bit " + bit);
        }
    }

    @Test
    void malformedInputIsRefusedWithoutThrowing() {
        JsonNode row = FILE.get("rows").get(1);
        byte[] key = hex(row.get("publicKey").asText());
        byte[] msg = hex(row.get("message").asText());
        byte[] sig = hex(row.get("signature").asText());
        assertFalse(Bip340Verifier.verify(null, msg, sig));
        assertFalse(Bip340Verifier.verify(key, null, sig));
        assertFalse(Bip340Verifier.verify(key, msg, null));
        assertFalse(Bip340Verifier.verify(new byte[31], msg, sig));
        assertFalse(Bip340Verifier.verify(new byte[33], msg, sig));
        assertFalse(Bip340Verifier.verify(key, msg, new byte[63]));
        assertFalse(Bip340Verifier.verify(key, msg, new byte[65]));
        assertFalse(Bip340Verifier.verify(key, msg, new byte[64]), "r = 0 is not a valid x");
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertFalse(Bip340Verifier.verify(key, msg, ones), "r >= p and s >= n");
        byte[] keyOnes = new byte[32];
        java.util.Arrays.fill(keyOnes, (byte) 0xff);
        assertFalse(Bip340Verifier.verify(keyOnes, msg, sig), "key >= p");
    }

    private static byte[] flip(byte[] b, int bit) {
        byte[] out = b.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
