package io.keyfed.party.dkg.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The transcript encoding behind the proof challenge and the echo digest is unambiguous: every byte
 * string carries a u16 length prefix, so moving bytes between adjacent fields changes the encoding.
 */
class WireWriterTest {

    static byte[] two(String a, String b) {
        return new WireWriter().bytes(a.getBytes(StandardCharsets.US_ASCII)).bytes(b.getBytes(StandardCharsets.US_ASCII))
                .toByteArray();
    }

    @Test
    void lengthPrefixesKeepAdjacentByteStringsApart() {
        assertFalse(Arrays.equals(two("ab", "c"), two("a", "bc")));
        assertFalse(Arrays.equals(two("", "abc"), two("abc", "")));
        assertArrayEquals(new byte[] {0, 2, 'a', 'b', 0, 1, 'c'}, two("ab", "c"));
    }
}
