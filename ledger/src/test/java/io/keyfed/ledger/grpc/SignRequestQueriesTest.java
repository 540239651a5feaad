package io.keyfed.ledger.grpc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListSignRequestsRequest;
import io.keyfed.api.ledger.v1.ListSignRequestsResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignFixtures;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignFixtures.TestKey;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** GetSignRequest and ListSignRequests over gRPC and REST: the fields, the filters, paging and bad input. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignRequestQueriesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(18);
    private static final TestAccount ADMIN = TestKeys.account(19);
    private static final TestAccount P1 = TestKeys.account(186);
    private static final TestAccount P2 = TestKeys.account(187);
    private static final HexFormat HEX = HexFormat.of();

    @GrpcClient("ledger")
    Ledger ledger;

    private SignRequest get(long id) {
        return ledger.getSignRequest(SignRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    private ListSignRequestsResponse list(ListSignRequestsRequest.Builder r) {
        return ledger.listSignRequests(r.build()).await().atMost(WAIT);
    }

    private static List<Long> ids(ListSignRequestsResponse r) {
        return r.getRequestsList().stream().map(SignRequest::getId).toList();
    }

    private StatusRuntimeException refused(ListSignRequestsRequest.Builder r) {
        return assertThrows(StatusRuntimeException.class, () -> list(r));
    }

    @Test
    void shouldReturnASignRequestWithTheKeysSnapshotOverGrpcAndRest() {
        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "7", P1, P2);
        byte[] m1 = "pay alice".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] m2 = new byte[] {1, 2, 3};
        long id = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, m1, m2);
        byte[] verifying = ledger.getKey(KeyByIdRequest.newBuilder().setId(key.id()).build()).await().atMost(WAIT)
                .getKey().getPublicKey().toByteArray();

        SignRequest r = get(id);
        assertEquals(id, r.getId());
        assertEquals(OWNER.address(), r.getCreator());
        assertEquals(key.id(), r.getKeyId());
        assertEquals(key.workspace(), r.getWorkspaceAddr());
        assertEquals(key.keyring(), r.getKeyringAddr());
        assertEquals(SignatureScheme.SIGNATURE_SCHEME_ED25519, r.getScheme());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING, r.getStatus());
        assertEquals("14", r.getFee());
        assertEquals(2, r.getPartiesCount());
        assertEquals(1, r.getPartyThreshold());
        assertEquals(HEX.formatHex(verifying), HEX.formatHex(r.getVerifyingKey().toByteArray()));

        JsonPath j = given().get("/v1/treasury/sign-requests/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(id, j.getLong("id"));
        assertEquals(OWNER.address(), j.getString("creator"));
        assertEquals(key.id(), j.getLong("key_id"));
        assertEquals(key.workspace(), j.getString("workspace_addr"));
        assertEquals(key.keyring(), j.getString("keyring_addr"));
        assertEquals("KEY_TYPE_EDDSA_ED25519", j.getString("key_type"));
        assertEquals("SIGNATURE_SCHEME_ED25519", j.getString("scheme"));
        assertEquals(List.of(HEX.formatHex(m1), "010203"), j.getList("messages"));
        assertEquals(HEX.formatHex(verifying), j.getString("verifying_key"));
        assertEquals(List.of(), j.getList("signatures"));
        assertEquals(List.of(), j.getList("recovery_ids"));
        assertEquals("SIGN_REQUEST_STATUS_PENDING", j.getString("status"));
        assertEquals("", j.getString("reject_reason"));
        assertEquals("14", j.getString("fee"));
        assertEquals(List.of(), j.getList("keyring_party_sigs"));
        assertEquals(List.of(P1.address(), P2.address()).stream().sorted().toList(), j.getList("parties.address"));
        assertEquals(1, j.getInt("party_threshold"));
        assertEquals(r.getDeadlineUnixMs(), j.getLong("deadline_unix_ms"));
        assertEquals(r.getCreatedHeight(), j.getLong("created_height"));
        assertEquals(List.of(), j.getList("faults"));
    }

    @Test
    void shouldAnswerNotFoundNamingTheId() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(987654321L));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("sign request 987654321 not found", e.getStatus().getDescription());
        JsonPath j = given().get("/v1/treasury/sign-requests/987654321").then().statusCode(404).extract().jsonPath();
        assertEquals("NOT_FOUND", j.getString("code"));
        assertEquals("sign request 987654321 not found", j.getString("message"));
        JsonPath bad = given().get("/v1/treasury/sign-requests/x1").then().statusCode(400).extract().jsonPath();
        assertEquals("id 'x1' is not a non-negative integer", bad.getString("message"));
    }

    @Test
    void shouldFilterByKeyWorkspaceKeyringAndStatus() {
        TestKey a = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 2, "0", P1, P2);
        TestKey b = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1);
        long a1 = SignFixtures.newSignRequest(ledger, OWNER, a.id(), 60, new byte[] {1});
        long b1 = SignFixtures.newSignRequest(ledger, OWNER, b.id(), 60, new byte[] {2});
        long a2 = SignFixtures.newSignRequest(ledger, OWNER, a.id(), 60, new byte[] {3});
        // one rejection of a 2-of-2 key leaves fewer than t willing parties: a2 becomes REJECTED
        ledger.fulfilSignatureRequest(SignParties.reject(P1, get(a2), "no share")).await().atMost(WAIT);

        assertEquals(List.of(a1, a2), ids(list(ListSignRequestsRequest.newBuilder().setKeyId(a.id()))));
        assertEquals(List.of(b1), ids(list(ListSignRequestsRequest.newBuilder().setWorkspaceAddr(b.workspace()))));
        assertEquals(List.of(a1, a2), ids(list(ListSignRequestsRequest.newBuilder().setKeyringAddr(a.keyring()))));
        assertEquals(List.of(a2), ids(list(ListSignRequestsRequest.newBuilder().setKeyringAddr(a.keyring())
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED))));
        assertEquals(List.of(a1), ids(list(ListSignRequestsRequest.newBuilder().setKeyId(a.id())
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING))));
        assertEquals(List.of(), ids(list(ListSignRequestsRequest.newBuilder().setKeyId(b.id())
                .setKeyringAddr(a.keyring()))));

        JsonPath j = given().queryParam("keyring_addr", a.keyring()).queryParam("status", "rejected")
                .get("/v1/treasury/sign-requests").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(a2), j.getList("requests.id", Long.class));
        assertEquals("SIGN_REQUEST_STATUS_REJECTED", j.getString("requests[0].status"));
        JsonPath byKey = given().queryParam("key_id", b.id()).get("/v1/treasury/sign-requests").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(b1), byKey.getList("requests.id", Long.class));
        assertEquals("", byKey.getString("next_page_token"));
    }

    @Test
    void shouldPageThroughEveryRequestOnceInIdOrder() {
        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1);
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {(byte) i}));
        }
        List<Long> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListSignRequestsResponse r = list(ListSignRequestsRequest.newBuilder().setKeyId(key.id()).setPageSize(2)
                    .setPageToken(token));
            seen.addAll(ids(r));
            token = r.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertEquals(created, seen);
        assertEquals(3, pages);

        List<Long> rest = new ArrayList<>();
        String next = "";
        do {
            var req = given().queryParam("key_id", key.id()).queryParam("page_size", 3);
            if (!next.isEmpty()) {
                req = req.queryParam("page_token", next);
            }
            JsonPath j = req.get("/v1/treasury/sign-requests").then().statusCode(200).extract().jsonPath();
            rest.addAll(j.getList("requests.id", Long.class));
            next = j.getString("next_page_token");
        } while (!next.isEmpty());
        assertEquals(created, rest);
    }

    @Test
    void shouldRefuseBadFiltersAndTokensNamingTheField() {
        StatusRuntimeException ws = refused(ListSignRequestsRequest.newBuilder().setWorkspaceAddr(OWNER.address()));
        assertEquals(Status.Code.INVALID_ARGUMENT, ws.getStatus().getCode());
        assertTrue(ws.getStatus().getDescription().startsWith("workspace_addr"), ws.getStatus().getDescription());
        StatusRuntimeException kr = refused(ListSignRequestsRequest.newBuilder().setKeyringAddr("keyring1nope"));
        assertEquals(Status.Code.INVALID_ARGUMENT, kr.getStatus().getCode());
        assertTrue(kr.getStatus().getDescription().startsWith("keyring_addr"), kr.getStatus().getDescription());
        StatusRuntimeException st = refused(ListSignRequestsRequest.newBuilder().setStatusValue(9));
        assertEquals("status 9 is not a SignRequestStatus", st.getStatus().getDescription());
        StatusRuntimeException size = refused(ListSignRequestsRequest.newBuilder().setPageSize(101));
        assertEquals("page_size 101 must be between 1 and 100", size.getStatus().getDescription());
        StatusRuntimeException token = refused(ListSignRequestsRequest.newBuilder().setPageToken("not-a-token"));
        assertEquals("page_token is not a token from this listing", token.getStatus().getDescription());
        // a token of the key-request listing is not one of this listing
        String keyRequestToken = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("kr:5".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        StatusRuntimeException other = refused(ListSignRequestsRequest.newBuilder().setPageToken(keyRequestToken));
        assertEquals("page_token is not a token from this listing", other.getStatus().getDescription());

        Map<String, String> rest = Map.of("status", "DONE", "key_id", "-1", "page_size", "0x10", "workspace_addr",
                "zen1bad", "page_token", "%%%");
        for (Map.Entry<String, String> e : rest.entrySet()) {
            JsonPath j = given().queryParam(e.getKey(), e.getValue()).get("/v1/treasury/sign-requests").then()
                    .statusCode(400).extract().jsonPath();
            assertEquals("INVALID_ARGUMENT", j.getString("code"));
            assertTrue(j.getString("message").contains(e.getKey()), e + " -> " + j.getString("message"));
        }
    }
}
