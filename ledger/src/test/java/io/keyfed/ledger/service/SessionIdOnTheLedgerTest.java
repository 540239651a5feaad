package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;

/**
 * The session id the ledger derives for a stored request, through its own path, pinned to the vector of
 * api's DkgSessionIdTest (and the party service's), so that the three cannot drift apart.
 */
class SessionIdOnTheLedgerTest {
    @Test
    void theLedgerDerivesThePinnedSessionIdVectorFromAStoredRequest() {
        LedgerParams params = new LedgerParams("keyfed-1", "zen", "urock", 1, "zen1escrow", 60, 600);
        KeyRequest.Builder req = KeyRequest.newBuilder().setId(7)
                .setKeyringAddr("keyring1qqqsyqcyq5rqwzqfpg9scrgwpugpzysnzs23v9")
                .setKeyType(KeyType.KEY_TYPE_ECDSA_SECP256K1).setPartyThreshold(2);
        for (String p : List.of("zen1aaa", "zen1bbb", "zen1ccc")) {
            req.addParties(KeyringParty.newBuilder().setAddress(p));
        }
        assertEquals(1, KeyType.KEY_TYPE_ECDSA_SECP256K1.getNumber());
        assertEquals("641ad61f689456442bcde509ec0a53c0644123820a1b999fd826d1b6dbbf03e7",
                HexFormat.of().formatHex(KeyRequestService.sessionId(params, req.build())));
    }
}
