package io.keyfed.party.dkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionIdTest {
    static final List<String> PARTIES = List.of("zen1aaa", "zen1bbb", "zen1ccc");

    SessionId base() {
        return SessionId.derive("chain-1", 7, "keyring1xyz", 1, PARTIES, 2);
    }

    @Test
    void deterministicAndBoundToEveryField() {
        assertEquals(base(), base());
        assertEquals(32, base().toBytes().length);
        assertNotEquals(base(), SessionId.derive("chain-2", 7, "keyring1xyz", 1, PARTIES, 2));
        assertNotEquals(base(), SessionId.derive("chain-1", 8, "keyring1xyz", 1, PARTIES, 2));
        assertNotEquals(base(), SessionId.derive("chain-1", 7, "keyring1xyy", 1, PARTIES, 2));
        assertNotEquals(base(), SessionId.derive("chain-1", 7, "keyring1xyz", 3, PARTIES, 2));
        assertNotEquals(base(), SessionId.derive("chain-1", 7, "keyring1xyz", 1, PARTIES, 3));
        assertNotEquals(base(), SessionId.derive("chain-1", 7, "keyring1xyz", 1, List.of("zen1aaa", "zen1bbb"), 2));
    }

    @Test
    void encodingIsUnambiguous() {
        // moving bytes between adjacent strings changes the id
        assertNotEquals(SessionId.derive("ab", 1, "c", 1, List.of("p"), 1),
                SessionId.derive("a", 1, "bc", 1, List.of("p"), 1));
        assertNotEquals(SessionId.derive("c", 1, "k", 1, List.of("ab", "c"), 1),
                SessionId.derive("c", 1, "k", 1, List.of("a", "bc"), 1));
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class,
                () -> SessionId.derive("c", 1, "k", 1, List.of("b", "a"), 1));
        assertThrows(IllegalArgumentException.class,
                () -> SessionId.derive("c", 1, "k", 1, List.of("a", "a"), 1));
        assertThrows(IllegalArgumentException.class, () -> SessionId.derive("c", 1, "k", 1, List.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> SessionId.derive("c", 1, "k", 1, PARTIES, 0));
        assertThrows(IllegalArgumentException.class, () -> SessionId.derive("c", 1, "k", 1, PARTIES, 4));
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
