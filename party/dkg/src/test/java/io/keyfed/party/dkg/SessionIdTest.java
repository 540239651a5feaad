package io.keyfed.party.dkg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The derivation itself is tested in api (DkgSessionIdTest); here: wrapping, and identifiers. */
class SessionIdTest {
    static final List<String> PARTIES = List.of("zen1aaa", "zen1bbb", "zen1ccc");

    @Test
    void wrapsExactlyThirtyTwoBytes() {
        byte[] b = HexFormat.of().parseHex("641ad61f689456442bcde509ec0a53c0644123820a1b999fd826d1b6dbbf03e7");
        SessionId sid = SessionId.of(b);
        assertArrayEquals(b, sid.toBytes());
        b[0] ^= 1;
        assertEquals(0x64, sid.toBytes()[0] & 0xff, "SessionId.of copies its input");
        assertThrows(IllegalArgumentException.class, () -> SessionId.of(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SessionId.of(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> SessionId.of(null));
    }

    @Test
    void participantIdentifiersArePositionsInSortedList() {
        List<String> sorted = Participants.sorted(List.of("zen1ccc", "zen1aaa", "zen1bbb"));
        assertEquals(PARTIES, sorted);
        assertEquals(1, Participants.identifierOf(sorted, "zen1aaa"));
        assertEquals(3, Participants.identifierOf(sorted, "zen1ccc"));
        assertThrows(IllegalArgumentException.class, () -> Participants.sorted(List.of("a", "a")));
    }
}
