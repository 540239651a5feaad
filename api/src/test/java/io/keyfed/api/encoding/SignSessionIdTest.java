package io.keyfed.api.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.SignatureScheme;

class SignSessionIdTest {
    static final List<String> PARTIES = List.of("zen1aaa", "zen1bbb", "zen1ccc");
    static final byte[] MESSAGES_HASH = SignMessages.hash(
            List.of("hello keyfed".getBytes(StandardCharsets.UTF_8), new byte[32]));
    static final SignatureScheme ED = SignatureScheme.SIGNATURE_SCHEME_ED25519;

    /**
     * Pinned vector, computed once from this implementation and written down here: it pins the encoding
     * against accidental change (a reordered field, another integer width, another domain). Whoever changes
     * the layout on purpose must change the domain's version and this value together; every other
     * derivation of the id (ledger, parties) must then agree with the new value. The same value was also
     * reproduced once by a separate script (Python hashlib/struct) from the javadoc's layout.
     */
    static final String VECTOR_HEX = "5d035bf593db0836a89377b98e071303a84b9ac6314e7418abe91185fde957a7";

    @Test
    void derivesThePinnedVector() {
        byte[] sid = SignSessionId.derive("keyfed-1", 7, 3, ED, MESSAGES_HASH, PARTIES, 2);
        assertEquals(VECTOR_HEX, HexFormat.of().formatHex(sid));
        assertEquals(SignSessionId.LENGTH, sid.length);
    }

    @Test
    void matchesTheLayoutWrittenInItsJavadoc() throws Exception {
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        lp(enc, "keyfed/sign-session/v1".getBytes(StandardCharsets.US_ASCII));
        lp(enc, "keyfed-1".getBytes(StandardCharsets.UTF_8));
        enc.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 7});           // sign request id
        enc.write(new byte[] {0, 0, 0, 0, 0, 0, 0, 3});           // key id
        enc.write(new byte[] {0, 2});                             // scheme: BIP340 = 2
        lp(enc, MESSAGES_HASH);
        enc.write(new byte[] {0, 3});                             // n
        for (String p : PARTIES) {
            lp(enc, p.getBytes(StandardCharsets.UTF_8));
        }
        enc.write(new byte[] {0, 2});                             // t
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(enc.toByteArray());
        assertArrayEquals(expected, SignSessionId.derive("keyfed-1", 7, 3, SignatureScheme.SIGNATURE_SCHEME_BIP340,
                MESSAGES_HASH, PARTIES, 2));
    }

    @Test
    void requestAndKeyIdsAreUnsigned64BitBigEndian() throws Exception {
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        lp(enc, SignSessionId.DOMAIN.getBytes(StandardCharsets.US_ASCII));
        lp(enc, "c".getBytes(StandardCharsets.UTF_8));
        enc.write(HexFormat.of().parseHex("ffffffffffffffff"));
        enc.write(HexFormat.of().parseHex("8000000000000001"));
        enc.write(new byte[] {0, 1});
        lp(enc, MESSAGES_HASH);
        enc.write(new byte[] {0, 1});
        lp(enc, "p".getBytes(StandardCharsets.UTF_8));
        enc.write(new byte[] {0, 1});
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(enc.toByteArray()),
                SignSessionId.derive("c", -1L, Long.MIN_VALUE + 1, ED, MESSAGES_HASH, List.of("p"), 1));
    }

    @Test
    void everyFieldChangesTheId() {
        byte[] otherHash = MESSAGES_HASH.clone();
        otherHash[31] ^= 1;
        List<byte[]> ids = List.of(
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("d", 7, 3, ED, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("c", 8, 3, ED, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("c", 7, 4, ED, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("c", 7, 3, SignatureScheme.SIGNATURE_SCHEME_BIP340, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("c", 7, 3, ED, otherHash, PARTIES, 2),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES.subList(0, 2), 2),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, List.of("zen1aaa", "zen1bbb", "zen1ccd"), 2),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES, 1),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES, 3));
        Set<String> distinct = new HashSet<>();
        for (byte[] id : ids) {
            distinct.add(HexFormat.of().formatHex(id));
        }
        assertEquals(ids.size(), distinct.size());
    }

    @Test
    void theRequestIdAndTheKeyIdAreNotInterchangeable() {
        assertFalse(Arrays.equals(SignSessionId.derive("c", 3, 7, ED, MESSAGES_HASH, PARTIES, 2),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES, 2)));
    }

    @Test
    void differsFromTheDkgSessionIdOfTheSameFields() {
        // Another domain: a DKG id can never be mistaken for a signing id.
        assertFalse(Arrays.equals(DkgSessionId.derive("c", 7, "k", 2, PARTIES, 2),
                SignSessionId.derive("c", 7, 3, ED, MESSAGES_HASH, PARTIES, 2)));
    }

    @Test
    void lengthPrefixesKeepAdjacentPartiesApart() {
        assertFalse(Arrays.equals(SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, List.of("ab", "c"), 1),
                SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, List.of("a", "bc"), 1)));
    }

    @Test
    void refusesAnUnsortedOrDuplicatedSnapshot() {
        IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
                () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, List.of("b", "a"), 1));
        assertTrue(unsorted.getMessage().contains("strictly ascending"), unsorted.getMessage());
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, List.of("a", "a"), 1));
        assertTrue(duplicate.getMessage().contains("strictly ascending"), duplicate.getMessage());
        List<String> withNull = new ArrayList<>(List.of("a"));
        withNull.add(null);
        assertThrows(IllegalArgumentException.class,
                () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, withNull, 1));
    }

    @Test
    void refusesAPartyCountOutOfRange() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, List.of(), 1));
        assertTrue(empty.getMessage().contains("participant count"), empty.getMessage());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            many.add(String.format("p%03d", i));
        }
        assertThrows(IllegalArgumentException.class,
                () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, many, 1));
        assertEquals(32, SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, many.subList(0, 255), 1).length);
    }

    @Test
    void refusesAThresholdOutOfRange() {
        for (int t : new int[] {0, -1, 4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, PARTIES, t));
            assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        }
    }

    @Test
    void refusesAMessagesHashOfTheWrongLength() {
        for (byte[] h : new byte[][] {new byte[0], new byte[31], new byte[33], new byte[64]}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SignSessionId.derive("c", 1, 1, ED, h, PARTIES, 2));
            assertTrue(e.getMessage().contains("messages hash"), e.getMessage());
        }
    }

    @Test
    void refusesAnUnknownSchemeAndNullFields() {
        for (SignatureScheme s : new SignatureScheme[] {SignatureScheme.SIGNATURE_SCHEME_UNSPECIFIED,
                SignatureScheme.UNRECOGNIZED}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SignSessionId.derive("c", 1, 1, s, MESSAGES_HASH, PARTIES, 2));
            assertTrue(e.getMessage().contains("scheme"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.derive(null, 1, 1, ED, MESSAGES_HASH, PARTIES, 2));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.derive("c", 1, 1, null, MESSAGES_HASH, PARTIES, 2));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.derive("c", 1, 1, ED, null, PARTIES, 2));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.derive("c", 1, 1, ED, MESSAGES_HASH, null, 2));
    }

    // --- the rotating coordinator ------------------------------------------------------------------------

    @Test
    void coordinatorIsTheFirstEightBytesPlusTheAttemptModN() {
        byte[] sid = new byte[32];
        sid[7] = 10;                     // u64 = 10
        sid[8] = (byte) 0xff;            // bytes past 7 do not count
        assertEquals(1, SignSessionId.coordinator(sid, 0, 3));   // 10 mod 3
        assertEquals(2, SignSessionId.coordinator(sid, 1, 3));
        assertEquals(0, SignSessionId.coordinator(sid, 2, 3));
        assertEquals(1, SignSessionId.coordinator(sid, 3, 3));
        assertEquals(0, SignSessionId.coordinator(sid, 0, 5));
        assertEquals(4, SignSessionId.coordinator(sid, 4, 5));
        assertEquals(0, SignSessionId.coordinator(sid, 0, 1));
    }

    @Test
    void coordinatorReadsTheHeadAsUnsignedBigEndian() {
        byte[] sid = new byte[32];
        sid[0] = (byte) 0x80;            // 2^63: negative as a Java long
        for (int n = 1; n <= 255; n++) {
            int expected = BigInteger.ONE.shiftLeft(63).mod(BigInteger.valueOf(n)).intValue();
            assertEquals(expected, SignSessionId.coordinator(sid, 0, n), "n=" + n);
        }
    }

    @Test
    void coordinatorDoesNotWrapTheSumAt2To64() {
        // bytes 0..7 = ff..ff: u64 = 2^64 - 1, and + attempt goes past 2^64. The sum is taken exactly.
        byte[] sid = new byte[32];
        Arrays.fill(sid, 0, 8, (byte) 0xff);
        BigInteger head = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int n = 1; n <= 255; n++) {
            for (int attempt : new int[] {0, 1, 2, 7, 254, 255, Integer.MAX_VALUE}) {
                int expected = head.add(BigInteger.valueOf(attempt)).mod(BigInteger.valueOf(n)).intValue();
                assertEquals(expected, SignSessionId.coordinator(sid, attempt, n), "n=" + n + " attempt=" + attempt);
            }
        }
        // 2^64 - 1 = 0 mod 3, so attempt 1 gives 2^64 = 1 mod 3; a sum wrapped to 0 would give 0.
        assertEquals(1, SignSessionId.coordinator(sid, 1, 3));
    }

    @Test
    void coordinatorRotatesThroughEveryPartyOverNAttempts() {
        byte[] sid = SignSessionId.derive("keyfed-1", 7, 3, ED, MESSAGES_HASH, PARTIES, 2);
        for (int n : new int[] {1, 3, 5, 255}) {
            Set<Integer> seen = new HashSet<>();
            for (int a = 0; a < n; a++) {
                seen.add(SignSessionId.coordinator(sid, a, n));
            }
            assertEquals(n, seen.size(), "n=" + n);
        }
    }

    @Test
    void coordinatorRefusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.coordinator(new byte[31], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.coordinator(null, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.coordinator(new byte[32], -1, 3));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.coordinator(new byte[32], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SignSessionId.coordinator(new byte[32], 0, 256));
    }

    private static void lp(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }
}
