package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

class Base58Test {
    static Stream<JsonNode> encodeVectors() {
        return Vectors.list(Vectors.load("base58.json").get("encode")).stream();
    }

    static Stream<String> invalidStrings() {
        return Vectors.list(Vectors.load("base58.json").get("invalidCharacters")).stream().map(JsonNode::asText);
    }

    @ParameterizedTest
    @MethodSource("encodeVectors")
    void encodesAndDecodesPublishedVectors(JsonNode v) {
        byte[] data = Vectors.hex(v.get("hex").asText());
        String expected = v.get("base58").asText();
        assertEquals(expected, Base58.encode(data));
        assertArrayEquals(data, Base58.decode(expected));
    }

    @ParameterizedTest
    @MethodSource("invalidStrings")
    void rejectsCharactersOutsideTheAlphabet(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58.decode(s));
        assertTrue(e.getMessage().contains("invalid character"), e.getMessage());
    }

    @Test
    void leadingZeroBytesBecomeLeadingOnes() {
        assertEquals("1", Base58.encode(new byte[1]));
        assertEquals("111", Base58.encode(new byte[3]));
        assertEquals("112", Base58.encode(new byte[] {0, 0, 1}));
        assertArrayEquals(new byte[] {0, 0, 1}, Base58.decode("112"));
    }

    /** Cross-check against a textbook BigInteger conversion on random inputs, with and without leading zeros. */
    @Test
    void agreesWithBigIntegerConversion() {
        Random r = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[r.nextInt(70)];
            r.nextBytes(data);
            int zeros = r.nextInt(4);
            for (int z = 0; z < Math.min(zeros, data.length); z++) {
                data[z] = 0;
            }
            assertEquals(reference(data), Base58.encode(data));
            assertArrayEquals(data, Base58.decode(Base58.encode(data)));
        }
    }

    @Test
    void base58CheckRoundTripAndChecksumFailure() {
        byte[] payload = Vectors.hex("00751e76e8199196d454941c45d1b3a323f1433bd6");
        String s = Base58.encodeCheck(payload);
        assertEquals("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", s);
        assertArrayEquals(payload, Base58.decodeCheck(s));
        // Change one character: the checksum must catch it.
        String bad = s.substring(0, 10) + (s.charAt(10) == 'a' ? 'b' : 'a') + s.substring(11);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58.decodeCheck(bad));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Base58.decodeCheck("111"));
    }

    static String reference(byte[] data) {
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, data);
        BigInteger b58 = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(b58);
            sb.append(Base58.ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }
}
