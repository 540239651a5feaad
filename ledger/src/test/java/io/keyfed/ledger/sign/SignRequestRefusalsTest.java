package io.keyfed.ledger.sign;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.TestSigner;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Refused sign requests: each gets a clear gRPC status (or HTTP code) naming the problem and changes nothing — no
 * balance, sequence, log entry, row, event or request id is consumed. Also the create path over REST.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignRequestRefusalsTest {
    private static final TestAccount OWNER = TestKeys.account(32);
    private static final TestAccount STRANGER = TestKeys.account(38);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(185);
    private static final TestAccount B = TestKeys.account(186);
    private static final TestSigner KEY = TestSigner.ed25519("refusals");

    @GrpcClient("ledger")
    Ledger ledger;

    @Inject
    Pool pool;

    private long keyOf(String sigFee, String type, byte[] publicKey) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 1, sigFee, A, B);
        return SignSetup.fulfilledKey(ledger, OWNER, ws, kr, type, publicKey, 1, A, B);
    }

    private long ed25519Key() {
        return keyOf("10", "ed25519", KEY.publicKey());
    }

    /** The sender's balance and sequence, the log height and the number of sign requests and their events. */
    private List<Long> books(TestAccount sender) {
        return List.of(LedgerRest.balance(sender.address()), LedgerRest.sequence(sender.address()), LedgerRest.height(),
                SignSetup.count(pool), pool.query("select count(*) from request_events where kind = 2").execute()
                        .await().atMost(SignSetup.WAIT).iterator().next().getLong(0));
    }

    /** Submits {@code m} from {@code from}, expects {@code code} with {@code part} in the message, and no change. */
    private String refused(TestAccount from, MsgNewSignatureRequest m, Status.Code code, String part) {
        List<Long> before = books(from);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SignSetup.broadcast(ledger, from, m));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains(part), e.getStatus().getDescription());
        assertEquals(before, books(from), "a refused sign request changes nothing");
        return e.getStatus().getDescription();
    }

    private static List<byte[]> messages(int count, int length) {
        return Collections.nCopies(count, new byte[length]);
    }

    @Test
    void aMessageOfTheWrongLengthIsRefusedNamingItsIndexAndLength() {
        long key = ed25519Key();
        refused(OWNER, SignSetup.request(key, List.of(new byte[3], new byte[1233]), 0, ""), Status.Code.INVALID_ARGUMENT,
                "messages[1] has 1233 bytes");
        refused(OWNER, SignSetup.request(key, List.of(new byte[0]), 0, ""), Status.Code.INVALID_ARGUMENT,
                "messages[0] has 0 bytes");
    }

    @Test
    void tooManyMessagesOrNoneAreRefused() {
        long key = ed25519Key();
        refused(OWNER, SignSetup.request(key, messages(65, 32), 0, ""), Status.Code.INVALID_ARGUMENT,
                "messages has 65 entries");
        refused(OWNER, SignSetup.request(key, List.of(), 0, ""), Status.Code.INVALID_ARGUMENT, "messages has 0 entries");
        // 64 is the most
        assertTrue(SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, messages(64, 32), 0, "")).getOutcome()
                .contains("64 messages"));
    }

    @Test
    void aKeyOfAnotherWorkspaceIsRefused() {
        long key = ed25519Key();
        refused(STRANGER, SignSetup.request(key, messages(1, 32), 0, ""), Status.Code.PERMISSION_DENIED,
                STRANGER.address());
    }

    @Test
    void aKeyThatIsNotFulfilledOrDoesNotExistIsRefused() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 1, "10", A, B);
        long pending = LedgerRest.newKeyRequest(OWNER, ws, kr, "ed25519", 0);
        refused(OWNER, SignSetup.request(pending, messages(1, 32), 0, ""), Status.Code.FAILED_PRECONDITION,
                "key " + pending + " is not FULFILLED (its request is PENDING)");
        refused(OWNER, SignSetup.request(999_999, messages(1, 32), 0, ""), Status.Code.NOT_FOUND, "key 999999 not found");
    }

    @Test
    void aMaxFeeBelowTheFeeIsRefusedNamingTheFee() {
        long key = ed25519Key();
        String why = refused(OWNER, SignSetup.request(key, messages(3, 32), 0, "29"), Status.Code.FAILED_PRECONDITION,
                "fee 30 urock");
        assertTrue(why.contains("10 urock per message × 3 messages") && why.contains("max_fee 29"), why);
        refused(OWNER, SignSetup.request(key, messages(1, 32), 0, "-1"), Status.Code.INVALID_ARGUMENT, "max_fee");
        // exactly max_fee is accepted
        assertTrue(SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, messages(3, 32), 0, "30")).getOutcome()
                .contains("fee 30 urock escrowed"));
    }

    @Test
    void aFeeOverTheBalanceIsRefused() {
        long key = keyOf("600000", "ed25519", KEY.publicKey());
        refused(OWNER, SignSetup.request(key, messages(2, 32), 0, ""), Status.Code.FAILED_PRECONDITION,
                "insufficient funds");
    }

    @Test
    void aRefusalConsumesNoRequestId() {
        long key = ed25519Key();
        long first = SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, messages(1, 32), 0, "")).getSignRequestId();
        refused(OWNER, SignSetup.request(key, messages(1, 32), 0, "1"), Status.Code.FAILED_PRECONDITION, "max_fee 1");
        long second = SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, messages(1, 32), 0, ""))
                .getSignRequestId();
        assertEquals(first + 1, second);
    }

    @Test
    void aKeyOfAnInactiveKeyringIsRefused() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 1, "10", A, B);
        long key = SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ed25519", KEY.publicKey(), 1, A, B);
        LedgerRest.submit(ADMIN, b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder().setKeyringAddr(kr)
                .setIsActive(false)));
        refused(OWNER, SignSetup.request(key, messages(1, 32), 0, ""), Status.Code.FAILED_PRECONDITION,
                "keyring " + kr + " is inactive");
    }

    @Test
    void anAnswerToAnUnknownRequestOrAMalformedAnswerIsRefused() {
        long key = ed25519Key();
        SignRequest req = SignSetup.get(ledger,
                SignSetup.broadcast(ledger, OWNER, SignSetup.request(key, messages(2, 32), 0, "")).getSignRequestId());
        long height = LedgerRest.height();
        PartySignResponse good = SignParties.fulfil(A, req, KEY);

        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> ledger
                .fulfilSignatureRequest(good.toBuilder().setRequestId(999_999).build()).await().atMost(SignSetup.WAIT));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertEquals("sign request 999999 not found", unknown.getStatus().getDescription());

        StatusRuntimeException oneShort = assertThrows(StatusRuntimeException.class, () -> ledger
                .fulfilSignatureRequest(SignParties.answer(A, req, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED,
                        List.of(KEY.sign(req.getMessages(0).toByteArray())), ""))
                .await().atMost(SignSetup.WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, oneShort.getStatus().getCode());
        assertTrue(oneShort.getStatus().getDescription().contains("sent 1 signatures for the 2 messages"),
                oneShort.getStatus().getDescription());

        StatusRuntimeException shortSig = assertThrows(StatusRuntimeException.class, () -> ledger
                .fulfilSignatureRequest(good.toBuilder().setSignatures(1, ByteString.copyFrom(new byte[63])).build())
                .await().atMost(SignSetup.WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, shortSig.getStatus().getCode());
        assertTrue(shortSig.getStatus().getDescription().startsWith("signatures[1] has 63 bytes"),
                shortSig.getStatus().getDescription());
        assertEquals(height, LedgerRest.height());
        assertEquals(req, SignSetup.get(ledger, req.getId()));
    }

    @Test
    void aSignRequestIsCreatedAndRefusedOverRest() {
        long key = ed25519Key();
        long id = RestAssured.given().contentType(ContentType.JSON)
                .body(Txs.json(SignSetup.tx(OWNER, SignSetup.request(key, messages(2, 32), 0, "")))).post("/v1/txs")
                .then().statusCode(200)
                .body("outcome", containsString("fee 20 urock escrowed"))
                .extract().jsonPath().getLong("sign_request_id");
        SignRequest req = SignSetup.get(ledger, id);
        assertEquals(key, req.getKeyId());
        assertEquals(2, req.getMessagesCount());

        List<Long> before = books(OWNER);
        RestAssured.given().contentType(ContentType.JSON)
                .body(Txs.json(SignSetup.tx(OWNER, SignSetup.request(key, messages(1, 1233), 0, "")))).post("/v1/txs")
                .then().statusCode(400)
                .body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("messages[0] has 1233 bytes"));
        assertEquals(before, books(OWNER));
    }
}
