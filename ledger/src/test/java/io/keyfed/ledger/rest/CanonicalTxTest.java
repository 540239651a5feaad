package io.keyfed.ledger.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.BroadcastTxRequest;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.MsgSend;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A transaction is the canonical encoding of exactly one message (ADR 027 style): anything a signer could have
 * meant two ways is refused with INVALID_ARGUMENT and changes nothing. Each body is correctly signed, so only the
 * encoding check can refuse it.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class CanonicalTxTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount SENDER = TestKeys.account(22);
    private static final TestAccount OTHER = TestKeys.account(23);

    @GrpcClient("ledger")
    Ledger ledger;

    private record State(long balance, long seq, long height, long total) {
        static State now() {
            return new State(LedgerRest.balance(SENDER.address()), LedgerRest.sequence(SENDER.address()),
                    LedgerRest.height(), LedgerRest.totalBalances());
        }
    }

    private static void refused(byte[] tx, String messagePart) {
        State before = State.now();
        LedgerRest.post(tx).then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString(messagePart));
        assertEquals(before, State.now(), "a refused transaction changed state");
    }

    private static TxBody.Builder send(String amount) {
        return Txs.body(SENDER, LedgerRest.sequence(SENDER.address())).setSend(Txs.send(OTHER.address(), amount));
    }

    /** {@code base} followed by more encoded fields. */
    private static byte[] append(byte[] base, FieldWriter more) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(base);
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            more.write(c);
            c.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface FieldWriter {
        void write(CodedOutputStream c) throws IOException;
    }

    @Test
    void canonicalSendIsAccepted() {
        long seq = LedgerRest.sequence(SENDER.address());
        LedgerRest.post(Txs.sign(SENDER, send("1").build())).then().statusCode(200);
        assertEquals(seq + 1, LedgerRest.sequence(SENDER.address()));
    }

    @Test
    void chainIdWrittenTwiceIsRefused() {
        byte[] body = append(send("1").build().toByteArray(), c -> c.writeString(1, TestKeys.CHAIN_ID));
        refused(Txs.sign(SENDER, body), "field chain_id (1) is written 2 times");
    }

    @Test
    void twoMessagesInTheOneofAreRefused() {
        byte[] body = append(send("1").build().toByteArray(), c -> c.writeMessage(11, MsgNewWorkspace.getDefaultInstance()));
        refused(Txs.sign(SENDER, body), "more than one message [send, new_workspace]");
    }

    @Test
    void repeatedFieldInsideTheMessageIsRefused() {
        byte[] send = append(MsgSend.newBuilder().setToAddress(OTHER.address()).setAmount("1").build().toByteArray(),
                c -> c.writeString(2, "1000"));
        TxBody b = Txs.body(SENDER, LedgerRest.sequence(SENDER.address())).build();
        byte[] body = append(b.toByteArray(), c -> c.writeBytes(10, ByteString.copyFrom(send)));
        refused(Txs.sign(SENDER, body), "TxBody is not in canonical protobuf encoding");
    }

    @Test
    void defaultValueWrittenOutIsRefused() {
        // sequence 0 written explicitly: proto3 leaves defaults out, so this is a second encoding of the same body.
        TestAccount fresh = TestKeys.account(24);
        TxBody b = Txs.body(fresh, 0).setSend(Txs.send(OTHER.address(), "1")).build();
        assertEquals(0, LedgerRest.sequence(fresh.address()));
        byte[] body = append(b.toByteArray(), c -> c.writeUInt64(3, 0));
        State before = State.now();
        LedgerRest.post(Txs.sign(fresh, body)).then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("TxBody is not in canonical protobuf encoding"));
        assertEquals(before, State.now());
        assertEquals(0, LedgerRest.sequence(fresh.address()));
    }

    @Test
    void unknownFieldInsideTheMessageIsRefused() {
        byte[] send = append(MsgSend.newBuilder().setToAddress(OTHER.address()).setAmount("1").build().toByteArray(),
                c -> c.writeUInt64(9, 7));
        TxBody b = Txs.body(SENDER, LedgerRest.sequence(SENDER.address())).build();
        byte[] body = append(b.toByteArray(), c -> c.writeBytes(10, ByteString.copyFrom(send)));
        refused(Txs.sign(SENDER, body), "TxBody.send has unknown fields [9]");
    }

    @Test
    void unknownFieldInTheTxRawIsRefused() {
        byte[] tx = append(Txs.sign(SENDER, send("1").build()), c -> c.writeUInt64(7, 1));
        refused(tx, "TxRaw has unknown fields [7]");
    }

    @Test
    void bodyBytesWrittenTwiceInTheTxRawAreRefused() {
        byte[] signed = Txs.sign(SENDER, send("1").build());
        byte[] tx = append(signed, c -> c.writeBytes(1, send("2").build().toByteString()));
        refused(tx, "field body_bytes (1) is written 2 times");
    }

    @Test
    void grpcBroadcastOfTwoMessagesIsRefused() {
        byte[] body = append(send("1").build().toByteArray(), c -> c.writeMessage(11, MsgNewWorkspace.getDefaultInstance()));
        State before = State.now();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.broadcastTx(
                BroadcastTxRequest.newBuilder().setTxBytes(ByteString.copyFrom(Txs.sign(SENDER, body))).build())
                .await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("more than one message"), e.getStatus().getDescription());
        assertEquals(before, State.now());
    }

    @Test
    void jsonWithADuplicateKeyIsRefused() {
        byte[] good = Txs.sign(SENDER, send("1").build());
        byte[] other = Txs.sign(SENDER, send("2").build());
        State before = State.now();
        given().contentType(ContentType.JSON)
                .body("{\"tx_bytes\":\"" + Txs.base64(good) + "\",\"tx_bytes\":\"" + Txs.base64(other) + "\"}")
                .post("/v1/txs").then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                .body("message", containsString("Duplicate field 'tx_bytes'"));
        assertEquals(before, State.now());
    }
}
