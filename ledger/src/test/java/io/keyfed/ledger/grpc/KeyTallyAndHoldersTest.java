package io.keyfed.ledger.grpc;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyResponse;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListKeyRequestsRequest;
import io.keyfed.api.ledger.v1.PartyFault;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The answer rules against attacks on blame and on holders: the key tally (a bogus first answer cannot kill
 * the key or get an honest party blamed), answers for another session, and the holder attestations, non-holders
 * and faults recorded after FULFILLED.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class KeyTallyAndHoldersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(16);
    private static final TestAccount ADMIN = TestKeys.account(17);
    private static final TestAccount A = TestKeys.account(171);
    private static final TestAccount B = TestKeys.account(172);
    private static final TestAccount C = TestKeys.account(173);
    private static final byte[] REAL_KEY = Secp256k1.publicKeyOf(BigInteger.valueOf(55555));
    private static final byte[] BOGUS_KEY = Secp256k1.publicKeyOf(BigInteger.valueOf(66666));
    private static final byte[] THIRD_KEY = Secp256k1.publicKeyOf(BigInteger.valueOf(77777));

    @GrpcClient("ledger")
    Ledger ledger;

    private KeyRequest get(long id) {
        return ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    private KeyRequest answer(PartyResponse r) {
        return ledger.fulfilKeyRequest(r).await().atMost(WAIT);
    }

    /** A 2-of-3 keyring of A, B and C with fee 100, and one ecdsa request on it. */
    private KeyRequest newRequest(int threshold, long timeoutSeconds) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, threshold, "100", A, B, C);
        return get(LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", timeoutSeconds));
    }

    private static List<String> faulted(KeyRequest r) {
        return r.getFaultsList().stream().map(PartyFault::getParty).distinct().toList();
    }

    private static List<String> sorted(TestAccount... parties) {
        return java.util.Arrays.stream(parties).map(TestAccount::address).sorted().toList();
    }

    /** Balances of the owner, the keyring and the escrow, and the log height. */
    private static List<Long> books(KeyRequest r) {
        String escrow = RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
        return List.of(LedgerRest.balance(OWNER.address()), LedgerRest.balance(r.getKeyringAddr()),
                LedgerRest.balance(escrow), LedgerRest.height());
    }

    @Test
    void aBogusFirstAnswerNeitherKillsTheKeyNorGetsAnHonestPartyBlamed() {
        KeyRequest req = newRequest(2, 0);
        // cheat C answers first, with a bogus key
        KeyRequest afterCheat = answer(Parties.fulfil(C, req, BOGUS_KEY));
        // the attack was delivered: the cheat's bogus key is counted, the request is still open
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, afterCheat.getStatus());
        assertEquals(1, afterCheat.getTallyCount());
        assertArrayEquals(BOGUS_KEY, afterCheat.getTally(0).getPublicKey().toByteArray());
        assertEquals(List.of(C.address()), afterCheat.getTally(0).getPartiesList());

        KeyRequest afterA = answer(Parties.fulfil(A, req, REAL_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, afterA.getStatus(), afterA.getRejectReason());
        assertTrue(afterA.getFaultsList().isEmpty(), "no one is blamed before the key is known");
        KeyRequest done = answer(Parties.fulfil(B, req, REAL_KEY));

        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus(), done.getRejectReason());
        assertArrayEquals(REAL_KEY, done.getPublicKey().toByteArray());
        assertEquals(sorted(A, B), done.getHoldersList());
        assertEquals(List.of(C.address()), faulted(done));
        assertTrue(done.getFaults(0).getReason().startsWith("reported a key other than the fulfilled one"),
                done.getFaults(0).getReason());
        assertEquals(2, done.getTallyCount());
        assertEquals(100, LedgerRest.balance(req.getKeyringAddr()), "fee released to the keyring");
        RestAssured.get("/v1/treasury/key-requests/" + req.getId()).then().statusCode(200)
                .body("status", equalTo("KEY_REQUEST_STATUS_FULFILLED"))
                .body("holders", equalTo(sorted(A, B)))
                .body("faults.size()", equalTo(1))
                .body("faults[0].party", equalTo(C.address()))
                .body("tally.size()", equalTo(2))
                .body("degraded", equalTo(false));
    }

    @Test
    void anAnswerSignedForAnotherSessionIsRefusedNamingThePartyAndChangesNothing() {
        KeyRequest req = newRequest(2, 0);
        // A forged snapshot: the same request made 1-of-1 with A alone. A really signs FULFILLED for it.
        byte[] forged = DkgSessionId.derive(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(),
                req.getKeyTypeValue(), List.of(A.address()), 1);
        assertNotEquals(java.util.HexFormat.of().formatHex(Parties.sessionId(req)),
                java.util.HexFormat.of().formatHex(forged));
        PartyResponse attack = Parties.response(A, req, KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, REAL_KEY, "",
                forged);
        byte[] signed = PartyResponseSignBytes.of(TestKeys.CHAIN_ID, req.getId(), req.getKeyringAddr(),
                req.getKeyType(), A.address(), KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, REAL_KEY, "", forged);
        assertTrue(Secp256k1.verify(A.publicKey(), signed, attack.getSignature().toByteArray()),
                "the attack carries A's valid signature over the forged session");

        List<Long> before = books(req);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> answer(attack));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains("party " + A.address()), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("another session"), e.getStatus().getDescription());
        assertEquals(req, get(req.getId()), "the refused answer changed the request");
        assertEquals(before, books(req), "the refused answer moved a balance or was logged");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, get(req.getId()).getStatus());
    }

    @Test
    void aHolderAttestationAfterFulfilmentIsRecordedAndLoggedWithoutMovingFees() {
        KeyRequest req = newRequest(2, 0);
        answer(Parties.fulfil(A, req, REAL_KEY));
        KeyRequest done = answer(Parties.fulfil(B, req, REAL_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(sorted(A, B), done.getHoldersList());
        List<Long> before = books(req);

        KeyRequest attested = answer(Parties.fulfil(C, req, REAL_KEY));

        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, attested.getStatus());
        assertEquals(sorted(A, B, C), attested.getHoldersList());
        assertEquals(3, attested.getKeyringPartySigsCount());
        PartySignature third = attested.getKeyringPartySigs(2);
        assertEquals(C.address(), third.getCreator());
        assertArrayEquals(REAL_KEY, third.getPublicKey().toByteArray());
        assertArrayEquals(Parties.sessionId(req), third.getSessionId().toByteArray());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, third.getStatus());
        assertTrue(attested.getFaultsList().isEmpty() && attested.getNonHoldersList().isEmpty());
        List<Long> after = books(req);
        assertEquals(before.subList(0, 3), after.subList(0, 3), "an attestation moves no balance");
        assertEquals(before.get(3) + 1, after.get(3), "an attestation is logged");
        Map<String, Object> log = RestAssured.get("/v1/txs/" + after.get(3)).then().statusCode(200).extract()
                .jsonPath().getMap("");
        assertEquals("party_response", log.get("kind"));
        assertEquals(C.address(), log.get("sender"));
        assertTrue(String.valueOf(log.get("outcome")).contains("holder attestation"), String.valueOf(log.get("outcome")));

        // the same attestation again: a no-op
        assertEquals(attested, answer(Parties.fulfil(C, req, REAL_KEY)));
        assertEquals(after, books(req));
        KeyResponse key = ledger.getKey(KeyByIdRequest.newBuilder().setId(req.getId()).build()).await().atMost(WAIT);
        assertEquals(sorted(A, B, C), key.getKey().getHoldersList());
        assertFalse(key.getKey().getDegraded());
        RestAssured.get("/v1/treasury/keys/" + req.getId()).then().statusCode(200)
                .body("key.holders", equalTo(sorted(A, B, C))).body("key.degraded", equalTo(false));
    }

    @Test
    void aRejectedAnswerAfterFulfilmentRecordsANonHolderNotAFault() {
        KeyRequest req = newRequest(2, 0);
        answer(Parties.fulfil(A, req, REAL_KEY));
        answer(Parties.fulfil(B, req, REAL_KEY));
        List<Long> before = books(req);
        KeyRequest r = answer(Parties.reject(C, req, "my share was lost in the confirm phase"));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus());
        assertEquals(List.of(C.address()), r.getNonHoldersList());
        assertTrue(r.getFaultsList().isEmpty(), "a party that says it holds no share is not at fault");
        assertEquals(sorted(A, B), r.getHoldersList());
        assertEquals(before.subList(0, 3), books(req).subList(0, 3));
        RestAssured.get("/v1/treasury/key-requests/" + req.getId()).then().statusCode(200)
                .body("non_holders", equalTo(List.of(C.address()))).body("faults.size()", equalTo(0));
    }

    @Test
    void aDifferentKeyAfterFulfilmentIsAFaultAgainstThatPartyOnly() {
        KeyRequest req = newRequest(2, 0);
        answer(Parties.fulfil(A, req, REAL_KEY));
        answer(Parties.fulfil(B, req, REAL_KEY));
        List<Long> before = books(req);
        KeyRequest r = answer(Parties.fulfil(C, req, BOGUS_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus());
        assertArrayEquals(REAL_KEY, r.getPublicKey().toByteArray());
        assertEquals(List.of(C.address()), faulted(r));
        assertEquals(sorted(A, B), r.getHoldersList());
        assertTrue(r.getNonHoldersList().isEmpty());
        assertEquals(before.subList(0, 3), books(req).subList(0, 3));
        // A changing its answer later is a fault against A alone, and A stays listed as it attested.
        KeyRequest again = answer(Parties.fulfil(A, req, THIRD_KEY));
        assertEquals(sorted(A, C), faulted(again));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, again.getStatus());
    }

    @Test
    void aKeyWithTwoOfThreeHoldersIsDegradedOnceItsDeadlineHasPassed() throws InterruptedException {
        KeyRequest req = newRequest(2, 2);
        answer(Parties.fulfil(A, req, REAL_KEY));
        KeyRequest done = answer(Parties.fulfil(B, req, REAL_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(2, done.getHoldersCount());
        while (System.currentTimeMillis() <= req.getDeadlineUnixMs()) {
            Thread.sleep(100);
        }
        KeyRequest late = get(req.getId());
        assertTrue(late.getDegraded(), "2 of 3 holders after the deadline");
        assertTrue(ledger.getKey(KeyByIdRequest.newBuilder().setId(req.getId()).build()).await().atMost(WAIT)
                .getKey().getDegraded());
        RestAssured.get("/v1/treasury/key-requests/" + req.getId()).then().statusCode(200)
                .body("degraded", equalTo(true)).body("holders.size()", equalTo(2));
        RestAssured.get("/v1/treasury/keys/" + req.getId()).then().statusCode(200).body("key.degraded", equalTo(true))
                .body("key.holders", equalTo(sorted(A, B)));
        assertTrue(ledger.listKeyRequests(ListKeyRequestsRequest.newBuilder().setKeyringAddr(req.getKeyringAddr())
                .build()).await().atMost(WAIT).getRequests(0).getDegraded());
        RestAssured.get("/v1/treasury/key-requests?keyring_addr=" + req.getKeyringAddr()).then().statusCode(200)
                .body("requests[0].degraded", equalTo(true));

        // the missing holder attests late: the key is whole again
        KeyRequest whole = answer(Parties.fulfil(C, req, REAL_KEY));
        assertEquals(3, whole.getHoldersCount());
        assertFalse(whole.getDegraded());
        assertFalse(get(req.getId()).getDegraded());
    }

    @Test
    void whenNoKeyCanReachTheThresholdTheRequestIsRejectedWithTheTallyAndNoCulprit() {
        long ownerBefore = LedgerRest.balance(OWNER.address());
        KeyRequest req = newRequest(2, 0);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, answer(Parties.fulfil(A, req, REAL_KEY)).getStatus());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, answer(Parties.fulfil(B, req, BOGUS_KEY)).getStatus());
        KeyRequest r = answer(Parties.fulfil(C, req, THIRD_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
        assertTrue(r.getRejectReason().contains("no single culprit"), r.getRejectReason());
        assertTrue(r.getRejectReason().contains("no key can still reach the threshold 2"), r.getRejectReason());
        assertEquals(3, r.getTallyCount());
        assertTrue(r.getFaultsList().isEmpty(), "no one is named when the culprit is unknown");
        assertTrue(r.getHoldersList().isEmpty());
        assertEquals(ownerBefore, LedgerRest.balance(OWNER.address()), "fee refunded");

        // 3-of-3: one disagreement already leaves no key able to reach 3
        KeyRequest all = newRequest(3, 0);
        answer(Parties.fulfil(A, all, REAL_KEY));
        KeyRequest rejected = answer(Parties.fulfil(B, all, BOGUS_KEY));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, rejected.getStatus());
        assertTrue(rejected.getRejectReason().endsWith("no single culprit"), rejected.getRejectReason());
        assertTrue(rejected.getFaultsList().isEmpty());
    }
}
