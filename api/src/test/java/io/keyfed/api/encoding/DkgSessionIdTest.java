package io.keyfed.api.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class DkgSessionIdTest {
    /**
     * Pinned vector: the same value is pinned in the party service (SessionSpecTest) and the ledger
     * (SessionIdOnTheLedgerTest), so the three derivations cannot drift apart.
     */
    static final String VECTOR_HEX = "641ad61f689456442bcde509ec0a53c0644123820a1b999fd826d1b6dbbf03e7";
    static final List<String> VECTOR_PARTIES = List.of("zen1aaa", "zen1bbb", "zen1ccc");

    @Test
    void derivesThePinnedVector() {
        byte[] sid = DkgSessionId.derive("keyfed-1", 7, "keyring1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9", 1,
                VECTOR_PARTIES, 2);
        assertEquals(VECTOR_HEX, HexFormat.of().formatHex(sid));
        assertEquals("dfa9abbd6d677a0809769962fa9c3832a4f9a1d5e2255830e25b3c12d18f5770", HexFormat.of().formatHex(
                DkgSessionId.derive("keyfed-test-1", 0xFFFFFFFFFFFFFFFFL, "k", 2, List.of("a"), 1)));
    }

    @Test
    void matchesTheLayoutWrittenInItsJavadoc() throws Exception {
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        lp(enc, "KEYFED-DKG-v1-session");
        lp(enc, "keyfed-1");
        enc.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 7});
        lp(enc, "keyring1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9");
        enc.write(new byte[] {0, 1, 0, 3});
        for (String p : VECTOR_PARTIES) {
            lp(enc, p);
        }
        enc.write(new byte[] {0, 2});
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(enc.toByteArray());
        assertArrayEquals(expected, DkgSessionId.derive("keyfed-1", 7,
                "keyring1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9", 1, VECTOR_PARTIES, 2));
    }

    @Test
    void everyFieldChangesTheId() {
        byte[] base = DkgSessionId.derive("c", 7, "k", 1, VECTOR_PARTIES, 2);
        List<byte[]> others = List.of(DkgSessionId.derive("d", 7, "k", 1, VECTOR_PARTIES, 2),
                DkgSessionId.derive("c", 8, "k", 1, VECTOR_PARTIES, 2),
                DkgSessionId.derive("c", 7, "l", 1, VECTOR_PARTIES, 2),
                DkgSessionId.derive("c", 7, "k", 3, VECTOR_PARTIES, 2),
                DkgSessionId.derive("c", 7, "k", 1, VECTOR_PARTIES.subList(0, 2), 2),
                DkgSessionId.derive("c", 7, "k", 1, VECTOR_PARTIES, 3),
                DkgSessionId.derive("c", 7, "k", 1, VECTOR_PARTIES, 1));
        for (byte[] o : others) {
            assertFalse(Arrays.equals(base, o));
        }
    }

    @Test
    void lengthPrefixesKeepAdjacentFieldsApart() {
        assertFalse(Arrays.equals(DkgSessionId.derive("ab", 1, "c", 1, List.of("p"), 1),
                DkgSessionId.derive("a", 1, "bc", 1, List.of("p"), 1)));
        assertFalse(Arrays.equals(DkgSessionId.derive("c", 1, "k", 1, List.of("ab", "c"), 1),
                DkgSessionId.derive("c", 1, "k", 1, List.of("a", "bc"), 1)));
    }

    @Test
    void refusesUnsortedDuplicatedOrOutOfRangeInput() {
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive("c", 1, "k", 1, List.of("b", "a"), 1));
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive("c", 1, "k", 1, List.of("a", "a"), 1));
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive("c", 1, "k", 1, List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive("c", 1, "k", 1, VECTOR_PARTIES, 0));
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive("c", 1, "k", 1, VECTOR_PARTIES, 4));
        assertThrows(IllegalArgumentException.class, () -> DkgSessionId.derive(null, 1, "k", 1, VECTOR_PARTIES, 2));
    }

    private static void lp(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }
}
