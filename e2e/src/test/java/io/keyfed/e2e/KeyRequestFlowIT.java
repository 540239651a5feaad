package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;

/**
 * The whole key-request flow with every service in its own process over real gRPC: a ledger on embedded
 * PostgreSQL, three parties each with its own SoftHSM2 token and data directory, and three connectors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyRequestFlowIT {
    private static final long FEE = 100;
    private static final long GENESIS_ALICE = 1_000_000;
    private static final long GENESIS_BOB = 250_000;
    private static final long GENESIS_CAROL = 50; // cannot pay one fee

    private Federation fed;
    private Client client;
    private final SigningKey alice = Client.newKey("alice");
    private final SigningKey bob = Client.newKey("bob");
    private final SigningKey carol = Client.newKey("carol");
    private String workspace;
    private String carolWorkspace;
    private String keyring;

    @BeforeAll
    void startFederation() throws Exception {
        fed = new Federation("flow");
        Path genesis = fed.writeGenesis(Map.of(alice, GENESIS_ALICE, bob, GENESIS_BOB, carol, GENESIS_CAROL));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        workspace = client.newWorkspace(alice);
        carolWorkspace = client.newWorkspace(carol);
        keyring = client.newKeyring(bob, 2, FEE, fed.parties);
        fed.startConnectors(keyring);
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    private long supply() throws Exception {
        long sum = client.balance(alice.address("zen")) + client.balance(bob.address("zen"))
                + client.balance(carol.address("zen")) + client.balance(keyring)
                + client.balance(client.params().path("escrow_address").asText());
        return sum;
    }

    @Test
    @Order(1)
    void shouldFulfilOneKeyOfEachTypeWithVerifiedPartySignatures() throws Exception {
        long aliceBefore = client.balance(alice.address("zen"));
        long keyringBefore = client.balance(keyring);
        List<Long> ids = new ArrayList<>();
        for (String type : List.of("ecdsa", "ed25519", "bitcoin", "taproot")) {
            ids.add(client.requestKey(alice, workspace, keyring, type, 120));
        }
        for (long id : ids) {
            JsonNode r = client.awaitFinal(id, 180);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
            byte[] pub = HexFormat.of().parseHex(r.path("public_key").asText());
            KeyType type = KeyType.valueOf(r.path("key_type").asText());
            assertEquals(type == KeyType.KEY_TYPE_EDDSA_ED25519 ? 32 : 33, pub.length);
            assertAllPartiesHoldTheKey(id);
            JsonNode key = client.key(id);
            assertEquals(r.path("public_key").asText(), key.path("key").path("public_key").asText());
            assertFalse(key.path("wallets").isEmpty(), key.toString());
            if (type == KeyType.KEY_TYPE_BITCOIN_TAPROOT) {
                // The secp256k1 DKG's key, queried with x(Q) and its three P2TR wallets.
                assertEquals(HexFormat.of().formatHex(Taproot.outputKey(pub)),
                        key.path("key").path("verifying_key").asText(), key.toString());
                List<String> prefixes = new ArrayList<>();
                key.path("wallets").forEach(w -> prefixes.add(w.path("address").asText().replaceAll("1p.*", "1p")));
                assertEquals(List.of("bc1p", "tb1p", "bcrt1p"), prefixes, key.toString());
            } else {
                assertEquals(r.path("public_key").asText(), key.path("key").path("verifying_key").asText());
            }
        }
        assertEquals(aliceBefore - ids.size() * FEE, client.balance(alice.address("zen")));
        assertEquals(keyringBefore + ids.size() * FEE, client.balance(keyring));
        assertEquals(GENESIS_ALICE + GENESIS_BOB + GENESIS_CAROL, supply());
    }

    @Test
    @Order(2)
    void shouldRefuseRequestFromOwnerWhoCannotPayTheFee() throws Exception {
        long before = client.balance(carol.address("zen"));
        LedgerClientException e = assertThrows(LedgerClientException.class,
                () -> client.requestKey(carol, carolWorkspace, keyring, "ecdsa", 60));
        assertEquals(409, e.httpStatus());
        assertTrue(e.getMessage().contains("insufficient"), e.getMessage());
        assertEquals(before, client.balance(carol.address("zen")));
    }

    @Test
    @Order(3)
    void shouldRefuseRequestToInactiveKeyring() throws Exception {
        client.setKeyringActive(bob, keyring, false);
        try {
            long before = client.balance(alice.address("zen"));
            LedgerClientException e = assertThrows(LedgerClientException.class,
                    () -> client.requestKey(alice, workspace, keyring, "ecdsa", 60));
            assertEquals(409, e.httpStatus());
            assertTrue(e.getMessage().contains("inactive") || e.getMessage().contains("not active"), e.getMessage());
            assertEquals(before, client.balance(alice.address("zen")));
        } finally {
            client.setKeyringActive(bob, keyring, true);
        }
    }

    @Test
    @Order(4)
    void shouldFulfilRequestsCreatedWhileAConnectorWasDown() throws Exception {
        ManagedProcess c = fed.connectors.get(0);
        c.stop();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(client.requestKey(alice, workspace, keyring, i % 2 == 0 ? "ecdsa" : "ed25519", 120));
        }
        fed.restartConnector(c);
        for (long id : ids) {
            JsonNode r = client.awaitFinal(id, 180);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        }
        for (long id : ids) {
            assertAllPartiesHoldTheKey(id);
        }
        assertEquals(GENESIS_ALICE + GENESIS_BOB + GENESIS_CAROL, supply());
    }

    @Test
    @Order(5)
    void shouldFulfilFiftyConcurrentRequestsWithDistinctKeys() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(client.requestKey(alice, workspace, keyring, i % 3 == 1 ? "ed25519" : "ecdsa", 300));
        }
        Set<String> keys = new HashSet<>();
        for (long id : ids) {
            JsonNode r = client.awaitFinal(id, 300);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
            keys.add(r.path("public_key").asText());
        }
        assertEquals(50, keys.size(), "50 distinct public keys");
        for (long id : ids) {
            assertAllPartiesHoldTheKey(id);
        }
        assertEquals(GENESIS_ALICE + GENESIS_BOB + GENESIS_CAROL, supply());
    }

    @Test
    @Order(6)
    void shouldRejectAndRefundAtDeadlineWhenOnePartyIsStopped() throws Exception {
        Federation.Party down = fed.parties.get(2);
        down.process.stop();
        long before = client.balance(alice.address("zen"));
        long id = client.requestKey(alice, workspace, keyring, "ecdsa", 8);
        assertEquals(before - FEE, client.balance(alice.address("zen")));
        JsonNode r = client.awaitFinal(id, 90);
        assertEquals("KEY_REQUEST_STATUS_REJECTED", r.path("status").asText(), r.toString());
        assertEquals(before, client.balance(alice.address("zen")), "fee refunded");
        assertEquals(GENESIS_ALICE + GENESIS_BOB + GENESIS_CAROL, supply());
    }

    /**
     * Waits until every party of FULFILLED request {@code id} is listed in its {@code holders} (the last answer
     * may arrive after FULFILLED, as a holder attestation), failing with the missing ones once the request's
     * deadline has passed; then checks n FULFILLED answers, one per party, for the recorded key and the session
     * id recomputed from the request JSON, each verifying over the v2 sign bytes under the party's key.
     */
    private void assertAllPartiesHoldTheKey(long id) throws Exception {
        JsonNode r = client.request(id);
        List<String> snapshot = new ArrayList<>();
        r.path("parties").forEach(p -> snapshot.add(p.path("address").asText()));
        while (r.path("holders").size() < snapshot.size()) {
            if (System.currentTimeMillis() > r.path("deadline_unix_ms").asLong()) {
                List<String> holders = new ArrayList<>();
                r.path("holders").forEach(h -> holders.add(h.asText()));
                List<String> missing = snapshot.stream().filter(p -> !holders.contains(p)).toList();
                throw new AssertionError("request " + id + ": deadline passed, missing holders " + missing + ": " + r);
            }
            Thread.sleep(100);
            r = client.request(id);
        }
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        assertFalse(r.path("degraded").asBoolean(), r.toString());
        List<String> holders = new ArrayList<>();
        r.path("holders").forEach(h -> holders.add(h.asText()));
        assertEquals(snapshot, holders, "holders are all n parties, sorted");
        assertTrue(r.path("faults").isEmpty() && r.path("non_holders").isEmpty(), r.toString());
        KeyType type = KeyType.valueOf(r.path("key_type").asText());
        byte[] pub = HexFormat.of().parseHex(r.path("public_key").asText());
        byte[] sessionId = DkgSessionId.derive(Federation.CHAIN_ID, id, keyring, type.getNumber(), snapshot,
                r.path("party_threshold").asInt());
        Set<String> signers = new HashSet<>();
        for (JsonNode sig : r.path("keyring_party_sigs")) {
            Federation.Party p = fed.parties.stream().filter(x -> x.address.equals(sig.path("creator").asText()))
                    .findFirst().orElseThrow();
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", sig.path("status").asText(), sig.toString());
            assertEquals(r.path("public_key").asText(), sig.path("public_key").asText(), sig.toString());
            assertEquals(HexFormat.of().formatHex(sessionId), sig.path("session_id").asText(), sig.toString());
            byte[] msg = PartyResponseSignBytes.of(Federation.CHAIN_ID, id, keyring, type, p.address,
                    KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, pub, "", sessionId);
            assertTrue(Secp256k1.verify(HexFormat.of().parseHex(p.publicKeyHex), msg,
                    HexFormat.of().parseHex(sig.path("signature").asText())), "party signature of " + p.address);
            signers.add(p.address);
        }
        assertEquals(snapshot.size(), r.path("keyring_party_sigs").size(), r.toString());
        assertEquals(Set.copyOf(snapshot), signers, "one verifying v2 signature per party");
        JsonNode key = client.key(id).path("key");
        assertEquals(r.path("holders"), key.path("holders"), key.toString());
        assertFalse(key.path("degraded").asBoolean(), key.toString());
    }
}
