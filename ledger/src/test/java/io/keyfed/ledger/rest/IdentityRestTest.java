package io.keyfed.ledger.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgAddKeyringParty;
import io.keyfed.api.ledger.v1.MsgAddWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgRemoveKeyringParty;
import io.keyfed.api.ledger.v1.MsgRemoveWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Workspace and keyring rules, and their queries. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class IdentityRestTest {
    private static final TestAccount ALICE = TestKeys.account(5);
    private static final TestAccount BOB = TestKeys.account(6);
    private static final TestAccount P1 = TestKeys.account(131);
    private static final TestAccount P2 = TestKeys.account(132);
    private static final TestAccount P3 = TestKeys.account(133);

    private static void refused(TestAccount from, java.util.function.Consumer<TxBody.Builder> msg, int http, String code,
            String part) {
        long seq = LedgerRest.sequence(from.address());
        long height = LedgerRest.height();
        TxBody.Builder b = Txs.body(from, seq);
        msg.accept(b);
        LedgerRest.post(Txs.sign(from, b.build())).then().statusCode(http).body("code", equalTo(code))
                .body("message", containsString(part));
        assertEquals(seq, LedgerRest.sequence(from.address()));
        assertEquals(height, LedgerRest.height());
    }

    @Test
    void shouldManageOwnersAndNeverRemoveTheLastOne() {
        String ws = LedgerRest.newWorkspace(ALICE);
        given().get("/v1/identity/workspaces/" + ws).then().statusCode(200).body("creator", equalTo(ALICE.address()))
                .body("owners", equalTo(java.util.List.of(ALICE.address())));
        LedgerRest.submit(ALICE, b -> b.setAddWorkspaceOwner(MsgAddWorkspaceOwner.newBuilder().setWorkspaceAddr(ws)
                .setNewOwner(BOB.address())));
        given().get("/v1/identity/workspaces?owner=" + BOB.address() + "&page_size=100").then().statusCode(200)
                .body("workspaces.address", hasItem(ws));
        refused(ALICE, b -> b.setAddWorkspaceOwner(MsgAddWorkspaceOwner.newBuilder().setWorkspaceAddr(ws)
                .setNewOwner(BOB.address())), 409, "FAILED_PRECONDITION", "already owns");
        LedgerRest.submit(BOB, b -> b.setRemoveWorkspaceOwner(MsgRemoveWorkspaceOwner.newBuilder().setWorkspaceAddr(ws)
                .setOwner(ALICE.address())));
        refused(BOB, b -> b.setRemoveWorkspaceOwner(MsgRemoveWorkspaceOwner.newBuilder().setWorkspaceAddr(ws)
                .setOwner(BOB.address())), 409, "FAILED_PRECONDITION", "the last owner of workspace " + ws);
        refused(ALICE, b -> b.setRemoveWorkspaceOwner(MsgRemoveWorkspaceOwner.newBuilder().setWorkspaceAddr(ws)
                .setOwner(BOB.address())), 403, "PERMISSION_DENIED", "is not an owner");
        given().get("/v1/identity/workspaces?owner=" + ALICE.address() + "&page_size=100").then().statusCode(200)
                .body("workspaces.address", not(hasItem(ws)));
    }

    @Test
    void shouldDeriveDistinctWorkspaceAddresses() {
        String a = LedgerRest.newWorkspace(ALICE);
        String b = LedgerRest.newWorkspace(ALICE);
        assertNotEquals(a, b);
        given().get("/v1/identity/workspaces/workspace1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqvnqsy8").then()
                .statusCode(400);
    }

    @Test
    void shouldKeepThresholdWithinParties() {
        refused(ALICE, b -> b.setNewKeyring(Txs.newKeyring(3, "0", P1, P2)), 400, "INVALID_ARGUMENT",
                "party_threshold 3 must be between 1 and the number of parties (2)");
        refused(ALICE, b -> b.setNewKeyring(Txs.newKeyring(0, "0", P1)), 400, "INVALID_ARGUMENT", "party_threshold 0");
        String kr = LedgerRest.newKeyring(ALICE, 2, "7", P2, P1);
        given().get("/v1/identity/keyrings/" + kr).then().statusCode(200)
                .body("admins", equalTo(java.util.List.of(ALICE.address())))
                .body("parties.size()", equalTo(2))
                .body("party_threshold", equalTo(2))
                .body("key_req_fee", equalTo("7"))
                .body("is_active", equalTo(true))
                .body("parties.find { it.address == '" + P1.address() + "' }.public_key",
                        equalTo(HexFormat.of().formatHex(P1.publicKey())));
        refused(ALICE, b -> b.setRemoveKeyringParty(MsgRemoveKeyringParty.newBuilder().setKeyringAddr(kr)
                .setPartyAddr(P1.address())), 409, "FAILED_PRECONDITION", "below the threshold 2");
        refused(ALICE, b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr).setPartyThreshold(3)),
                400, "INVALID_ARGUMENT", "party_threshold 3");
        LedgerRest.submit(ALICE, b -> b.setAddKeyringParty(MsgAddKeyringParty.newBuilder().setKeyringAddr(kr)
                .setParty(Txs.party(P3))));
        LedgerRest.submit(ALICE, b -> b.setRemoveKeyringParty(MsgRemoveKeyringParty.newBuilder().setKeyringAddr(kr)
                .setPartyAddr(P1.address())));
        given().get("/v1/identity/keyrings/" + kr).then().statusCode(200).body("parties.size()", equalTo(2));
        refused(BOB, b -> b.setAddKeyringParty(MsgAddKeyringParty.newBuilder().setKeyringAddr(kr)
                .setParty(Txs.party(P1))), 403, "PERMISSION_DENIED", "is not an admin");
    }

    @Test
    void shouldRejectPartyWhoseAddressDoesNotMatchItsKey() {
        KeyringParty wrong = KeyringParty.newBuilder().setAddress(P1.address())
                .setPublicKey(ByteString.copyFrom(P2.publicKey())).build();
        refused(ALICE, b -> b.setNewKeyring(Txs.newKeyring(1, "0").toBuilder().addParties(wrong).build()), 400,
                "INVALID_ARGUMENT", "does not match its public key");
        KeyringParty badKey = KeyringParty.newBuilder().setAddress(P1.address())
                .setPublicKey(ByteString.copyFrom(new byte[33])).build();
        refused(ALICE, b -> b.setNewKeyring(Txs.newKeyring(1, "0").toBuilder().addParties(badKey).build()), 400,
                "INVALID_ARGUMENT", "public_key of party");
    }

    @Test
    void shouldPageKeyRequestsWithOpaqueToken() {
        String ws = LedgerRest.newWorkspace(ALICE);
        String kr = LedgerRest.newKeyring(ALICE, 1, "0", P1);
        long first = LedgerRest.newKeyRequest(ALICE, ws, kr, "ecdsa", 0);
        long second = LedgerRest.newKeyRequest(ALICE, ws, kr, "btc", 0);
        long third = LedgerRest.newKeyRequest(ALICE, ws, kr, "eddsa", 0);
        var page1 = given().get("/v1/treasury/key-requests?keyring_addr=" + kr + "&page_size=2").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(java.util.List.of((int) first, (int) second), page1.getList("requests.id"));
        assertEquals("KEY_REQUEST_STATUS_PENDING", page1.getString("requests[0].status"));
        assertEquals("KEY_TYPE_BITCOIN_SECP256K1", page1.getString("requests[1].key_type"));
        String token = page1.getString("next_page_token");
        var page2 = given().get("/v1/treasury/key-requests?keyring_addr=" + kr + "&page_size=2&page_token=" + token)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.List.of((int) third), page2.getList("requests.id"));
        assertEquals("", page2.getString("next_page_token"));
        given().get("/v1/treasury/key-requests?workspace_addr=" + ws + "&status=PENDING").then().statusCode(200)
                .body("requests.size()", equalTo(3));
        given().get("/v1/treasury/key-requests?keyring_addr=" + kr + "&page_size=1000").then().statusCode(400)
                .body("message", containsString("page_size 1000"));
        given().get("/v1/treasury/key-requests?page_token=garbage!").then().statusCode(400)
                .body("message", containsString("page_token"));
        given().get("/v1/treasury/key-requests?status=DONE").then().statusCode(400)
                .body("message", containsString("status 'DONE'"));
    }
}
