package io.keyfed.ledger.grpc;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyResponse;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgAddKeyringParty;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.WalletType;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** FulfilKeyRequest: threshold, fees, snapshot, and every refusal (which changes nothing). */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PartyResponseGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(10);
    private static final TestAccount ADMIN = TestKeys.account(11);
    private static final TestAccount P1 = TestKeys.account(111);
    private static final TestAccount P2 = TestKeys.account(112);
    private static final TestAccount P3 = TestKeys.account(113);
    private static final TestAccount OUTSIDER = TestKeys.account(119);
    private static final byte[] GROUP_KEY = Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(123456789));
    private static final byte[] OTHER_KEY = Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(987654321));

    @GrpcClient("ledger")
    Ledger ledger;

    private String escrow() {
        return RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
    }

    private KeyRequest get(long id) {
        return ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    private KeyRequest fulfil(PartyResponse r) {
        return ledger.fulfilKeyRequest(r).await().atMost(WAIT);
    }

    private StatusRuntimeException refused(PartyResponse r, Status.Code code, String messagePart) {
        KeyRequest before = get(r.getRequestId() == 0 ? 1 : r.getRequestId());
        long height = LedgerRest.height();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> fulfil(r));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(messagePart), e.getStatus().getDescription());
        assertEquals(before, get(before.getId()), "refused response changed the request");
        assertEquals(height, LedgerRest.height(), "refused response was logged");
        return e;
    }

    /** A fresh workspace and t-of-n keyring with fee 100, and one ecdsa request on them. */
    private KeyRequest newRequest(int threshold, String type, TestAccount... parties) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, threshold, "100", parties);
        long id = LedgerRest.newKeyRequest(OWNER, ws, kr, type, 0);
        return get(id);
    }

    @Test
    void shouldFulfilAtThresholdAndReleaseFee() {
        long ownerBefore = LedgerRest.balance(OWNER.address());
        KeyRequest req = newRequest(2, "ecdsa", P1, P2, P3);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, req.getStatus());
        assertEquals(ownerBefore - 100, LedgerRest.balance(OWNER.address()));
        assertEquals(2, req.getPartyThreshold());
        assertEquals(3, req.getPartiesCount());
        assertEquals("100", req.getFee());
        long escrowAfterRequest = LedgerRest.balance(escrow());

        KeyRequest partial = fulfil(Parties.fulfil(P2, req, GROUP_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, partial.getStatus());
        assertEquals(0, LedgerRest.balance(req.getKeyringAddr()));

        KeyRequest done = fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertArrayEquals(GROUP_KEY, done.getPublicKey().toByteArray());
        assertEquals(2, done.getKeyringPartySigsCount());
        assertEquals(P2.address(), done.getKeyringPartySigs(0).getCreator());
        assertEquals(100, LedgerRest.balance(req.getKeyringAddr()));
        assertEquals(escrowAfterRequest - 100, LedgerRest.balance(escrow()));
        assertEquals(ownerBefore - 100, LedgerRest.balance(OWNER.address()));

        KeyResponse key = ledger.getKey(KeyByIdRequest.newBuilder().setId(req.getId())
                .setWalletType(WalletType.WALLET_TYPE_EVM).build()).await().atMost(WAIT);
        assertEquals(req.getId(), key.getKey().getId());
        assertEquals(KeyType.KEY_TYPE_ECDSA_SECP256K1, key.getKey().getType());
        assertEquals(1, key.getWalletsCount());
        assertTrue(key.getWallets(0).getAddress().startsWith("0x"));
        RestAssured.get("/v1/treasury/keys/" + req.getId() + "?wallet_type=NATIVE&prefixes=zen,cosmos").then()
                .statusCode(200).body("key.public_key", equalTo(HexFormat.of().formatHex(GROUP_KEY)))
                .body("key.type", equalTo("KEY_TYPE_ECDSA_SECP256K1")).body("wallets.size()", equalTo(2))
                .body("wallets[0].type", equalTo("WALLET_TYPE_NATIVE"));
        RestAssured.get("/v1/treasury/keys?workspace_addr=" + req.getWorkspaceAddr() + "&wallet_type=WALLET_TYPE_EVM")
                .then().statusCode(200).body("keys.size()", equalTo(1))
                .body("keys[0].key.id", equalTo((int) req.getId()))
                .body("keys[0].wallets[0].type", equalTo("WALLET_TYPE_EVM"))
                .body("next_page_token", equalTo(""));
        RestAssured.get("/v1/treasury/keys/" + req.getId() + "?wallet_type=SOLANA").then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT")).body("message", org.hamcrest.Matchers.containsString(
                        "wallet_type WALLET_TYPE_SOLANA does not fit key " + req.getId() + " of type KEY_TYPE_ECDSA_SECP256K1"));
        StatusRuntimeException solana = assertThrows(StatusRuntimeException.class, () -> ledger.getKey(KeyByIdRequest
                .newBuilder().setId(req.getId()).setWalletType(WalletType.WALLET_TYPE_SOLANA).build()).await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, solana.getStatus().getCode(), solana.getStatus().toString());
        assertTrue(solana.getStatus().getDescription().contains("it fits [WALLET_TYPE_NATIVE, WALLET_TYPE_EVM]"),
                solana.getStatus().getDescription());
        RestAssured.get("/v1/treasury/keys/" + req.getId() + "?wallet_type=PAPER").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("wallet_type 'PAPER'"));
        RestAssured.get("/v1/treasury/key-requests/" + req.getId()).then().statusCode(200)
                .body("status", equalTo("KEY_REQUEST_STATUS_FULFILLED"))
                .body("keyring_party_sigs.size()", equalTo(2))
                .body("keyring_party_sigs[0].status", equalTo("KEY_REQUEST_STATUS_FULFILLED"))
                .body("parties[0].public_key.size()", equalTo(66))
                .body("party_threshold", equalTo(2));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void shouldStayPartialBelowThreshold() {
        KeyRequest req = newRequest(3, "bitcoin", P1, P2, P3);
        KeyRequest r1 = fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        KeyRequest r2 = fulfil(Parties.fulfil(P3, req, GROUP_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, r1.getStatus());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, r2.getStatus());
        assertTrue(r2.getPublicKey().isEmpty());
    }

    @Test
    void shouldKeepSnapshotWhenKeyringChangesMidFlight() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "100", P1, P2);
        long id = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        LedgerRest.submit(ADMIN, b -> b.setAddKeyringParty(MsgAddKeyringParty.newBuilder().setKeyringAddr(kr)
                .setParty(Txs.party(P3))));
        LedgerRest.submit(ADMIN, b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr)
                .setPartyThreshold(3)));
        KeyRequest req = get(id);
        assertEquals(1, req.getPartyThreshold());
        refused(Parties.fulfil(P3, req, GROUP_KEY), Status.Code.PERMISSION_DENIED, "is not a party of key request");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fulfil(Parties.fulfil(P1, req, GROUP_KEY)).getStatus());
    }

    @Test
    void shouldRejectAndRefundWhenMismatchedKeysLeaveNoKeyAbleToReachTheThreshold() {
        long ownerBefore = LedgerRest.balance(OWNER.address());
        KeyRequest req = newRequest(3, "ecdsa", P1, P2, P3);
        fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        KeyRequest r = fulfil(Parties.fulfil(P2, req, OTHER_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
        assertTrue(r.getRejectReason().contains("no single culprit"), r.getRejectReason());
        assertTrue(r.getFaultsList().isEmpty(), "neither answer can be blamed: " + r.getFaultsList());
        assertEquals(ownerBefore, LedgerRest.balance(OWNER.address()));
        assertEquals(0, LedgerRest.balance(req.getKeyringAddr()));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void shouldRejectWhenPartyRejectsAndRefund() {
        long ownerBefore = LedgerRest.balance(OWNER.address());
        KeyRequest req = newRequest(2, "ecdsa", P1, P2);
        KeyRequest r = fulfil(Parties.reject(P2, req, "DKG abort: party zen1xyz sent a bad share"));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
        assertTrue(r.getRejectReason().contains("bad share"), r.getRejectReason());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getKeyringPartySigs(0).getStatus());
        assertEquals(ownerBefore, LedgerRest.balance(OWNER.address()));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void rejectReasonWithAControlCharacterIsRefusedAndChangesNothing() {
        long ownerBefore = LedgerRest.balance(OWNER.address());
        KeyRequest req = newRequest(2, "ecdsa", P1, P2);
        // Correctly signed by a party of the request: only the reason's NUL byte is wrong.
        refused(Parties.reject(P2, req, "abort\u0000here"), Status.Code.INVALID_ARGUMENT,
                "reject_reason contains the control character U+0000 at index 5");
        refused(Parties.reject(P2, req, "line\nbreak"), Status.Code.INVALID_ARGUMENT, "U+000A");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, get(req.getId()).getStatus());
        assertEquals(ownerBefore - 100, LedgerRest.balance(OWNER.address()));
    }

    @Test
    void shouldRefuseOutsider() {
        KeyRequest req = newRequest(1, "ecdsa", P1, P2);
        refused(Parties.reject(OUTSIDER, req, "no"), Status.Code.PERMISSION_DENIED,
                OUTSIDER.address() + " is not a party of key request " + req.getId());
    }

    @Test
    void shouldRefuseBadPartySignature() {
        KeyRequest req = newRequest(1, "ecdsa", P1, P2);
        PartyResponse forged = Parties.reject(P1, req, "no").toBuilder()
                .setSignature(Parties.reject(OUTSIDER, req, "no").getSignature()).build();
        refused(forged, Status.Code.PERMISSION_DENIED, "bad party signature");
        PartyResponse tampered = Parties.fulfil(P1, req, GROUP_KEY).toBuilder()
                .setPublicKey(com.google.protobuf.ByteString.copyFrom(OTHER_KEY)).build();
        refused(tampered, Status.Code.PERMISSION_DENIED, "bad party signature");
    }

    @Test
    void shouldIgnoreIdenticalRepeatedResponse() {
        KeyRequest req = newRequest(2, "ecdsa", P1, P2);
        fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        KeyRequest before = get(req.getId());
        long height = LedgerRest.height();
        // Same content again (a connector's retry; the in-token signature may differ): a no-op.
        KeyRequest after = fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        assertEquals(before, after);
        assertEquals(before, get(req.getId()));
        assertEquals(height, LedgerRest.height(), "a repeated response must not be logged");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, after.getStatus());
    }

    @Test
    void aPartyChangingItsAnswerIsAFaultAgainstItAndDoesNotCountTwice() {
        KeyRequest req = newRequest(2, "ecdsa", P1, P2);
        String creator = get(req.getId()).getCreator();
        long balanceBefore = LedgerRest.balance(creator);
        fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        KeyRequest changed = fulfil(Parties.fulfil(P1, req, OTHER_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, changed.getStatus());
        assertEquals(1, changed.getFaultsCount());
        assertEquals(P1.address(), changed.getFaults(0).getParty());
        assertTrue(changed.getFaults(0).getReason().contains("second, different answer"), changed.getFaults(0).getReason());
        assertEquals(1, changed.getTallyCount(), "the second answer is not counted");
        assertEquals(2, changed.getKeyringPartySigsCount(), "both signed answers are kept as evidence");
        assertEquals(balanceBefore, LedgerRest.balance(creator), "nothing refunded, nothing released");
        KeyRequest done = fulfil(Parties.fulfil(P2, req, GROUP_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(java.util.List.of(P1.address()), done.getFaultsList().stream().map(f -> f.getParty()).toList());
    }

    @Test
    void shouldRefuseResponseAfterRejection() {
        KeyRequest req = newRequest(1, "ecdsa", P1, P2);
        fulfil(Parties.reject(P1, req, "no share"));
        refused(Parties.fulfil(P2, req, GROUP_KEY), Status.Code.FAILED_PRECONDITION, "is already REJECTED");
    }

    @Test
    void shouldRefuseUnknownRequest() {
        KeyRequest req = newRequest(1, "ecdsa", P1);
        PartyResponse r = Parties.fulfil(P1, req.toBuilder().setId(987654).build(), GROUP_KEY);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> fulfil(r));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void shouldRefuseInvalidKeyForType() {
        KeyRequest req = newRequest(1, "ed25519", P1);
        byte[] smallOrder = new byte[32]; // encodes the identity's y = 0 variant, not a valid prime-order point
        smallOrder[0] = 1;
        refused(Parties.fulfil(P1, req, smallOrder), Status.Code.INVALID_ARGUMENT, "not a valid 32-byte ed25519 point");
        refused(Parties.fulfil(P1, req, GROUP_KEY), Status.Code.INVALID_ARGUMENT, "ed25519");
        KeyRequest ec = newRequest(1, "ecdsa", P1);
        byte[] notOnCurve = GROUP_KEY.clone();
        notOnCurve[32] ^= 1;
        notOnCurve[31] ^= 1;
        if (!Secp256k1.isValidPublicKey(notOnCurve)) {
            refused(Parties.fulfil(P1, ec, notOnCurve), Status.Code.INVALID_ARGUMENT, "public_key");
        }
    }

    @Test
    void shouldRejectAndRefundAfterDeadline() {
        TestAccount owner = TestKeys.account(30);
        long before = LedgerRest.balance(owner.address());
        String ws = LedgerRest.newWorkspace(owner);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", P1, P2);
        long id = LedgerRest.newKeyRequest(owner, ws, kr, "ecdsa", 1);
        fulfil(Parties.fulfil(P1, get(id), GROUP_KEY));
        assertEquals(before - 100, LedgerRest.balance(owner.address()));
        long deadline = System.currentTimeMillis() + 60_000;
        KeyRequest r = get(id);
        while (r.getStatus() != KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = get(id);
        }
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
        assertEquals("deadline exceeded", r.getRejectReason());
        assertEquals(before, LedgerRest.balance(owner.address()));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
        refused(Parties.fulfil(P2, r, GROUP_KEY), Status.Code.FAILED_PRECONDITION, "is already REJECTED");
        java.util.List<java.util.Map<String, Object>> txs = RestAssured.get("/v1/txs?from_height="
                + r.getCreatedHeight() + "&page_size=100").then().statusCode(200).extract().jsonPath().getList("txs");
        assertTrue(txs.stream().anyMatch(t -> "timeout".equals(t.get("kind")) && "".equals(t.get("sender"))
                && String.valueOf(t.get("outcome")).startsWith("key request " + id + " rejected: deadline exceeded")),
                "no timeout entry in the log");
    }
}
