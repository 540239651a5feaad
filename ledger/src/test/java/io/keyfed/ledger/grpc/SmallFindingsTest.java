package io.keyfed.ledger.grpc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.MsgUpdateKeyring;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The smaller input findings of issue 11: each is refused with a clear status and changes nothing. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SmallFindingsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount SENDER = TestKeys.account(25);
    private static final TestAccount OTHER = TestKeys.account(26);
    private static final TestAccount P1 = TestKeys.account(27);
    private static final String MAX_U64 = "18446744073709551615";

    @GrpcClient("ledger")
    Ledger ledger;

    private record State(long balance, long seq, long height, long total) {
        static State now() {
            return new State(LedgerRest.balance(SENDER.address()), LedgerRest.sequence(SENDER.address()),
                    LedgerRest.height(), LedgerRest.totalBalances());
        }
    }

    private static void txRefused(Consumer<TxBody.Builder> msg, String messagePart) {
        State before = State.now();
        TxBody.Builder b = Txs.body(SENDER, LedgerRest.sequence(SENDER.address()));
        msg.accept(b);
        LedgerRest.post(Txs.sign(SENDER, b.build())).then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString(messagePart));
        assertEquals(before, State.now(), "a refused transaction changed state");
    }

    private static void grpcRefused(Supplier<?> call, Status.Code code, String messagePart) {
        State before = State.now();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().contains(messagePart), e.getStatus().getDescription());
        assertEquals(before, State.now(), "a refused call changed state");
    }

    @Test
    void amountsWithALeadingZeroAreRefused() {
        txRefused(b -> b.setSend(Txs.send(OTHER.address(), "007")), "amount '007' has a leading zero");
        txRefused(b -> b.setSend(Txs.send(OTHER.address(), "00")), "amount '00' has a leading zero");
        txRefused(b -> b.setNewKeyring(Txs.newKeyring(1, "0100", P1)), "key_req_fee '0100' has a leading zero");
        txRefused(b -> b.setUpdateKeyring(MsgUpdateKeyring.newBuilder()
                .setKeyringAddr(io.keyfed.api.crypto.Bech32.encode("keyring", new byte[20])).setSigReqFee("01")),
                "sig_req_fee '01' has a leading zero");
    }

    @Test
    void sendToTheEscrowAddressIsRefused() {
        String escrow = given().get("/v1/params").then().statusCode(200).extract().jsonPath().getString("escrow_address");
        long escrowBefore = LedgerRest.balance(escrow);
        txRefused(b -> b.setSend(Txs.send(escrow, "5")), "is the fee escrow address");
        assertEquals(escrowBefore, LedgerRest.balance(escrow));
    }

    @Test
    void controlCharactersInADescriptionAreRefused() {
        txRefused(b -> b.setNewKeyring(Txs.newKeyring(1, "1", P1).toBuilder().setDescription("my\u0000keyring")),
                "description contains the control character U+0000 at index 2");
        txRefused(b -> b.setNewKeyring(Txs.newKeyring(1, "1", P1).toBuilder().setDescription("red\u001b[31m")),
                "description contains the control character U+001B");
    }

    @Test
    void unsignedNumbersAppearUnsignedInErrors() {
        grpcRefused(() -> ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(-1).build()).await().atMost(WAIT),
                Status.Code.NOT_FOUND, "key request " + MAX_U64 + " not found");
        grpcRefused(() -> ledger.fulfilKeyRequest(PartyResponse.newBuilder().setRequestId(-1).setPartyAddr(P1.address())
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setSignature(ByteString.copyFrom(new byte[64]))
                .setSessionId(ByteString.copyFrom(new byte[32])).build()).await().atMost(WAIT), Status.Code.NOT_FOUND, "key request " + MAX_U64 + " not found");
        grpcRefused(() -> ledger.listKeys(ListKeysRequest.newBuilder().setPageSize(-1).build()).await().atMost(WAIT),
                Status.Code.INVALID_ARGUMENT, "page_size 4294967295");
        txRefused(b -> b.setNewKeyring(Txs.newKeyring(-1, "1", P1)), "party_threshold 4294967295");
    }

    @Test
    void watchWithACursorPastTheHeadIsOutOfRange() {
        String keyring = io.keyfed.api.crypto.Bech32.encode("keyring", new byte[20]);
        for (long cursor : new long[] {Long.MAX_VALUE, -1}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.watchKeyRequests(
                    WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring).setCursor(cursor).build())
                    .collect().asList().await().atMost(WAIT));
            assertEquals(Status.Code.OUT_OF_RANGE, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains("cursor " + Long.toUnsignedString(cursor)
                    + " is past the latest event cursor"), e.getStatus().getDescription());
        }
    }
}
