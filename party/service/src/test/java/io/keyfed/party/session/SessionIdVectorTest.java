package io.keyfed.party.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyfed.api.encoding.DkgSessionId;

/** The session id vector pinned in api (DkgSessionIdTest) and the ledger, pinned here too. */
class SessionIdVectorTest {
    @Test
    void thePartyDerivesThePinnedSessionId() {
        assertEquals("641ad61f689456442bcde509ec0a53c0644123820a1b999fd826d1b6dbbf03e7",
                HexFormat.of().formatHex(DkgSessionId.derive("keyfed-1", 7,
                        "keyring1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9", 1,
                        List.of("zen1aaa", "zen1bbb", "zen1ccc"), 2)));
    }
}
