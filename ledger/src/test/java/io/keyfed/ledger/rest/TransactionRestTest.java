package io.keyfed.ledger.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.MsgAddWorkspaceOwner;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** POST /v1/txs: every refusal answers with a code and a message naming the problem, and changes nothing. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TransactionRestTest {
    private static final TestAccount ALICE = TestKeys.account(1);
    private static final TestAccount BOB = TestKeys.account(2);
    private static final TestAccount CAROL = TestKeys.account(3);
    private static final TestAccount POOR = TestKeys.account(150);
    private static final TestAccount P1 = TestKeys.account(101);
    private static final TestAccount P2 = TestKeys.account(102);

    /** Snapshot of what a refused transaction must leave untouched. */
    private record State(long aliceBalance, long aliceSeq, long height, long total) {
        static State now(TestAccount a) {
            return new State(LedgerRest.balance(a.address()), LedgerRest.sequence(a.address()), LedgerRest.height(),
                    LedgerRest.totalBalances());
        }
    }

    private static void assertRefused(TestAccount sender, byte[] tx, int http, String code, String messagePart) {
        State before = State.now(sender);
        LedgerRest.post(tx).then().statusCode(http).body("code", equalTo(code))
                .body("message", containsString(messagePart));
        assertEquals(before, State.now(sender), "a refused transaction changed state");
    }

    private static byte[] signed(TestAccount from, Consumer<TxBody.Builder> msg) {
        TxBody.Builder b = Txs.body(from, LedgerRest.sequence(from.address()));
        msg.accept(b);
        return Txs.sign(from, b.build());
    }

    @Test
    void shouldTransferFundsAndConserveSupply() {
        long genesis = Long.parseLong(given().get("/v1/params").then().statusCode(200)
                .body("chain_id", equalTo(TestKeys.CHAIN_ID)).body("address_prefix", equalTo("zen"))
                .body("denom", equalTo("urock")).extract().jsonPath().getString("genesis_supply"));
        long a = LedgerRest.balance(ALICE.address());
        long b = LedgerRest.balance(BOB.address());
        long seq = LedgerRest.sequence(ALICE.address());
        long height = LedgerRest.height();
        var res = LedgerRest.submit(ALICE, t -> t.setSend(Txs.send(BOB.address(), "1234")));
        assertEquals(height + 1, res.getLong("height"));
        assertEquals(a - 1234, LedgerRest.balance(ALICE.address()));
        assertEquals(b + 1234, LedgerRest.balance(BOB.address()));
        assertEquals(seq + 1, LedgerRest.sequence(ALICE.address()));
        assertEquals(genesis, LedgerRest.totalBalances());
        given().get("/v1/auth/accounts/" + ALICE.address()).then().statusCode(200)
                .body("public_key", equalTo(java.util.HexFormat.of().formatHex(ALICE.publicKey())));
        given().get("/v1/txs/" + res.getString("hash")).then().statusCode(200)
                .body("height", equalTo((int) res.getLong("height"))).body("kind", equalTo("tx"))
                .body("sender", equalTo(ALICE.address()));
    }

    @Test
    void shouldRejectBadBech32Recipient() {
        String bad = ALICE.address().substring(0, ALICE.address().length() - 1) + "x";
        assertRefused(ALICE, signed(ALICE, t -> t.setSend(Txs.send(bad, "1"))), 400, "INVALID_ARGUMENT",
                "to_address '" + bad + "' is not valid bech32");
    }

    @Test
    void shouldRejectRecipientWithWrongPrefix() {
        String ws = LedgerRest.newWorkspace(ALICE);
        assertRefused(ALICE, signed(ALICE, t -> t.setSend(Txs.send(ws, "1"))), 400, "INVALID_ARGUMENT",
                "has prefix 'workspace', expected 'zen'");
    }

    @Test
    void shouldRejectUnknownKeyType() {
        String ws = LedgerRest.newWorkspace(ALICE);
        String kr = LedgerRest.newKeyring(ALICE, 1, "10", P1);
        assertRefused(ALICE, signed(ALICE, t -> t.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "rsa", 0))), 400,
                "INVALID_ARGUMENT", "unknown key_type 'rsa'");
    }

    @Test
    void shouldRejectNegativeAmount() {
        assertRefused(ALICE, signed(ALICE, t -> t.setSend(Txs.send(BOB.address(), "-5"))), 400, "INVALID_ARGUMENT",
                "amount '-5' is negative");
    }

    @Test
    void shouldRejectOverflowingAmount() {
        assertRefused(ALICE, signed(ALICE, t -> t.setSend(Txs.send(BOB.address(), "9223372036854775808"))), 400,
                "INVALID_ARGUMENT", "overflows");
    }

    @Test
    void shouldRejectOversizedDescription() {
        String huge = "d".repeat(5000);
        assertRefused(ALICE, signed(ALICE, t -> t.setNewKeyring(Txs.newKeyring(1, "0", P1).toBuilder()
                .setDescription(huge).build())), 400, "INVALID_ARGUMENT", "description has 5000 characters, at most 256");
    }

    @Test
    void shouldRejectOversizedTransaction() {
        byte[] body = Txs.body(ALICE, LedgerRest.sequence(ALICE.address()))
                .setNewWorkspace(Txs.newWorkspace()).build().toByteArray();
        byte[] padded = TxRaw.newBuilder().setBodyBytes(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(new byte[70 * 1024])).build().toByteArray();
        assertRefused(ALICE, padded, 400, "INVALID_ARGUMENT", "at most 65536");
    }

    @Test
    void shouldRejectRequestFromNonOwner() {
        String ws = LedgerRest.newWorkspace(ALICE);
        String kr = LedgerRest.newKeyring(ALICE, 1, "10", P1);
        assertRefused(BOB, signed(BOB, t -> t.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0))), 403,
                "PERMISSION_DENIED", BOB.address() + " is not an owner of workspace " + ws);
    }

    @Test
    void shouldRejectOwnerChangeFromNonOwner() {
        String ws = LedgerRest.newWorkspace(ALICE);
        assertRefused(BOB, signed(BOB, t -> t.setAddWorkspaceOwner(MsgAddWorkspaceOwner.newBuilder()
                .setWorkspaceAddr(ws).setNewOwner(BOB.address()))), 403, "PERMISSION_DENIED", "is not an owner");
    }

    @Test
    void shouldRejectKeyringUpdateFromNonAdmin() {
        String kr = LedgerRest.newKeyring(ALICE, 1, "10", P1);
        assertRefused(BOB, signed(BOB, t -> t.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr)
                .setIsActive(false))), 403, "PERMISSION_DENIED", BOB.address() + " is not an admin of keyring " + kr);
    }

    @Test
    void shouldRejectRequestOnInactiveKeyring() {
        String ws = LedgerRest.newWorkspace(ALICE);
        String kr = LedgerRest.newKeyring(ALICE, 1, "10", P1);
        LedgerRest.submit(ALICE, t -> t.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr)
                .setIsActive(false)));
        given().get("/v1/identity/keyrings/" + kr).then().statusCode(200).body("is_active", equalTo(false));
        assertRefused(ALICE, signed(ALICE, t -> t.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0))), 409,
                "FAILED_PRECONDITION", "keyring " + kr + " is inactive");
    }

    @Test
    void shouldRejectRequestWithInsufficientFunds() {
        LedgerRest.submit(ALICE, t -> t.setSend(Txs.send(POOR.address(), "5")));
        String ws = LedgerRest.newWorkspace(POOR);
        String kr = LedgerRest.newKeyring(ALICE, 1, "1000", P1);
        assertRefused(POOR, signed(POOR, t -> t.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0))), 409,
                "FAILED_PRECONDITION", "insufficient funds");
        given().get("/v1/treasury/key-requests?keyring_addr=" + kr).then().statusCode(200)
                .body("requests.size()", equalTo(0));
    }

    @Test
    void shouldRejectReplayedSequence() {
        byte[] tx = signed(ALICE, t -> t.setSend(Txs.send(BOB.address(), "1")));
        LedgerRest.post(tx).then().statusCode(200);
        assertRefused(ALICE, tx, 409, "FAILED_PRECONDITION", "replayed or out of order");
    }

    @Test
    void shouldRejectWrongChainId() {
        TxBody body = Txs.body(ALICE, LedgerRest.sequence(ALICE.address())).setChainId("other-chain")
                .setSend(Txs.send(BOB.address(), "1")).build();
        assertRefused(ALICE, Txs.sign(ALICE, body), 400, "INVALID_ARGUMENT",
                "chain_id 'other-chain' does not match this ledger's chain '" + TestKeys.CHAIN_ID + "'");
    }

    @Test
    void shouldRejectBadSignature() {
        TxBody body = Txs.body(ALICE, LedgerRest.sequence(ALICE.address())).setSend(Txs.send(BOB.address(), "1")).build();
        byte[] tx = TxRaw.newBuilder().setBodyBytes(body.toByteString())
                .setSignature(ByteString.copyFrom(BOB.sign(io.keyfed.api.encoding.TxSignBytes.of(body.toByteArray()))))
                .build().toByteArray();
        assertRefused(ALICE, tx, 403, "PERMISSION_DENIED", "bad signature");
    }

    @Test
    void shouldRejectUnknownMessage() {
        byte[] base = Txs.body(ALICE, LedgerRest.sequence(ALICE.address())).build().toByteArray();
        // field 40, wire type 2 (length-delimited), empty: a message type this ledger does not know
        byte[] unknown = new byte[base.length + 3];
        System.arraycopy(base, 0, unknown, 0, base.length);
        unknown[base.length] = (byte) 0xC2;
        unknown[base.length + 1] = 0x02;
        unknown[base.length + 2] = 0x00;
        assertRefused(ALICE, Txs.sign(ALICE, unknown), 400, "INVALID_ARGUMENT", "unknown message");
    }

    @Test
    void shouldRejectUnknownFieldBesideMessage() {
        byte[] base = Txs.body(ALICE, LedgerRest.sequence(ALICE.address())).setSend(Txs.send(BOB.address(), "1"))
                .build().toByteArray();
        byte[] extra = new byte[base.length + 3];
        System.arraycopy(base, 0, extra, 0, base.length);
        extra[base.length] = (byte) 0xF8; // tag of field 31, varint (two-byte varint 0xF8 0x01)
        extra[base.length + 1] = 0x01;
        extra[base.length + 2] = 0x07; // value 7
        assertRefused(ALICE, Txs.sign(ALICE, extra), 400, "INVALID_ARGUMENT", "TxBody has unknown fields");
    }

    @Test
    void shouldRejectMalformedJson() {
        State before = State.now(ALICE);
        given().contentType(ContentType.JSON).body("{\"tx_bytes\": ").post("/v1/txs").then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT")).body("message", containsString("malformed JSON"));
        assertEquals(before, State.now(ALICE));
    }

    @Test
    void shouldRejectMalformedProtobuf() {
        State before = State.now(ALICE);
        given().contentType(ContentType.JSON).body(Txs.json(new byte[] {(byte) 0x0A, (byte) 0xFF, 0x01}))
                .post("/v1/txs").then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("malformed protobuf"));
        assertEquals(before, State.now(ALICE));
    }

    @Test
    void shouldRejectMissingTxBytes() {
        given().contentType(ContentType.JSON).body("{\"tx\":\"AA==\"}").post("/v1/txs").then().statusCode(400)
                .body("message", containsString("tx_bytes is required"));
    }

    @Test
    void shouldAnswerNotFoundWithJson() {
        ValidatableResponse r = given().get("/v1/treasury/key-requests/999999").then().statusCode(404)
                .body("code", equalTo("NOT_FOUND")).body("message", containsString("key request 999999 not found"));
        given().get("/v1/identity/keyrings/" + ALICE.address()).then().statusCode(400)
                .body("message", containsString("has prefix 'zen', expected 'keyring'"));
        r.toString();
    }
}
