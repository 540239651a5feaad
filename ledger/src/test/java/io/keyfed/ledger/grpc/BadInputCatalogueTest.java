package io.keyfed.ledger.grpc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.BroadcastTxRequest;
import io.keyfed.api.ledger.v1.GetAccountRequest;
import io.keyfed.api.ledger.v1.GetBalanceRequest;
import io.keyfed.api.ledger.v1.GetWorkspaceRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListKeyRequestsRequest;
import io.keyfed.api.ledger.v1.ListKeysRequest;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.TxRaw;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The bad-input catalogue cases the other ledger tests do not cover (see the table in e2e/README.md): each
 * case is refused with a clear status, after which the ledger is still ready and its state unchanged.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BadInputCatalogueTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount SENDER = TestKeys.account(33);
    private static final TestAccount OTHER = TestKeys.account(34);
    private static final TestAccount P1 = TestKeys.account(141);
    private static final byte[] GROUP_KEY = Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(55555));

    @GrpcClient("ledger")
    Ledger ledger;

    private ManagedChannel raw;

    /** What no refused input may change. */
    private record State(long height, long total, long senderBalance, long senderSeq) {
        static State now() {
            return new State(LedgerRest.height(), LedgerRest.totalBalances(), LedgerRest.balance(SENDER.address()),
                    LedgerRest.sequence(SENDER.address()));
        }
    }

    @BeforeEach
    void openRawChannel() {
        raw = ManagedChannelBuilder.forAddress("localhost", 18731).usePlaintext().maxInboundMessageSize(4 << 20)
                .build();
    }

    @AfterEach
    void closeRawChannel() throws InterruptedException {
        raw.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Runs the bad input, then checks the ledger is ready and nothing changed. */
    private static void unchangedAndHealthy(Runnable badInput) {
        State before = State.now();
        badInput.run();
        given().get("/q/health/ready").then().statusCode(200);
        assertEquals(before, State.now(), "bad input changed state");
    }

    private static StatusRuntimeException grpcRefused(Supplier<?> call, Status.Code code, String part) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        if (part != null) {
            assertNotNull(e.getStatus().getDescription(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription().contains(part), e.getStatus().getDescription());
        }
        return e;
    }

    private byte[] signedSend(long amount) {
        return Txs.sign(SENDER, Txs.body(SENDER, LedgerRest.sequence(SENDER.address()))
                .setSend(Txs.send(OTHER.address(), Long.toString(amount))).build());
    }

    /** A TxRaw of about {@code size} bytes: a valid body and a padded signature field. */
    private byte[] padded(int size) {
        byte[] body = Txs.body(SENDER, LedgerRest.sequence(SENDER.address())).setNewWorkspace(Txs.newWorkspace())
                .build().toByteArray();
        return TxRaw.newBuilder().setBodyBytes(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(new byte[size])).build().toByteArray();
    }

    // ------------------------------------------------------------------ malformed protobuf / JSON

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Sends {@code payload} as the raw gRPC message of BroadcastTx; returns the call's closing status. */
    private Status rawBroadcast(byte[] payload) throws Exception {
        MethodDescriptor<byte[], byte[]> m = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("keyfed.ledger.v1.Ledger", "BroadcastTx"))
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        ClientCall<byte[], byte[]> call = raw.newCall(m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(payload);
        call.halfClose();
        return closed.get(40, TimeUnit.SECONDS);
    }

    @Test
    void grpcRawFrameOfGarbageIsRefused() {
        unchangedAndHealthy(() -> {
            try {
                // 0xFF 0xFF ...: a tag with field number 0 / truncated varints, not a BroadcastTxRequest.
                Status s = rawBroadcast(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0x01});
                assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), "garbage frame answered " + s);
                assertTrue(s.getDescription().contains("not a valid BroadcastTxRequest protobuf message"),
                        s.getDescription());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void grpcBroadcastWithTxBytesThatAreNotATxRawIsRefused() {
        // Covered as bytes {1,2,3} in BroadcastTxGrpcTest; here a truncated length-delimited field as in the REST test.
        unchangedAndHealthy(() -> grpcRefused(() -> ledger.broadcastTx(BroadcastTxRequest.newBuilder()
                .setTxBytes(ByteString.copyFrom(new byte[] {0x0A, (byte) 0xFF, 0x01})).build()).await().atMost(WAIT),
                Status.Code.INVALID_ARGUMENT, "malformed protobuf"));
    }

    @Test
    void restTxBytesThatAreNotBase64AreRefused() {
        unchangedAndHealthy(() -> given().contentType(ContentType.JSON).body("{\"tx_bytes\":\"***not base64***\"}")
                .post("/v1/txs").then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT")));
    }

    @Test
    void restTxBytesOfTheWrongJsonTypeAreRefused() {
        unchangedAndHealthy(() -> given().contentType(ContentType.JSON).body("{\"tx_bytes\":[1,2,3]}")
                .post("/v1/txs").then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT")));
    }

    // ------------------------------------------------------------------ oversized

    @Test
    void grpcTxBytesOverTheTransactionLimitAreRefused() {
        byte[] tx = padded(70 * 1024);
        unchangedAndHealthy(() -> grpcRefused(() -> ledger.broadcastTx(BroadcastTxRequest.newBuilder()
                .setTxBytes(ByteString.copyFrom(tx)).build()).await().atMost(WAIT), Status.Code.INVALID_ARGUMENT,
                "at most 65536"));
    }

    @Test
    void grpcMessageOverTheInboundLimitIsResourceExhausted() {
        // max-inbound-message-size is 128 KiB; send 200 KiB of tx_bytes through a plain grpc-java channel.
        byte[] tx = padded(200 * 1024);
        unchangedAndHealthy(() -> {
            try {
                Status s = rawBroadcast(BroadcastTxRequest.newBuilder().setTxBytes(ByteString.copyFrom(tx)).build()
                        .toByteArray());
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void restBodyOverTheHttpLimitIsRefused() {
        // quarkus.http.limits.max-body-size is 256K: 400 KiB of base64 never reaches the handler.
        String body = "{\"tx_bytes\":\"" + "A".repeat(400 * 1024) + "\"}";
        unchangedAndHealthy(() -> given().contentType(ContentType.JSON).body(body).post("/v1/txs").then()
                .statusCode(413).body("code", equalTo("INVALID_ARGUMENT")));
    }

    // ------------------------------------------------------------------ bad addresses

    private static String badChecksum(String addr) {
        char last = addr.charAt(addr.length() - 1);
        return addr.substring(0, addr.length() - 1) + (last == 'q' ? 'p' : 'q');
    }

    @Test
    void restQueriesWithBadAddressesAreRefused() {
        String badBech32 = badChecksum(SENDER.address());
        String workspaceForm = Bech32.encode("workspace", new byte[20]);
        String keyringForm = Bech32.encode("keyring", new byte[20]);
        unchangedAndHealthy(() -> {
            given().get("/v1/bank/balances/" + badBech32).then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"))
                    .body("message", containsString(badBech32));
            given().get("/v1/auth/accounts/" + badBech32).then().statusCode(400)
                    .body("code", equalTo("INVALID_ARGUMENT"));
            given().get("/v1/auth/accounts/" + workspaceForm).then().statusCode(400)
                    .body("message", containsString("has prefix 'workspace', expected 'zen'"));
            given().get("/v1/identity/workspaces/" + keyringForm).then().statusCode(400)
                    .body("message", containsString("has prefix 'keyring', expected 'workspace'"));
            given().get("/v1/identity/workspaces/not-an-address").then().statusCode(400)
                    .body("code", equalTo("INVALID_ARGUMENT"));
            given().queryParam("keyring_addr", workspaceForm).get("/v1/treasury/key-requests").then().statusCode(400)
                    .body("code", equalTo("INVALID_ARGUMENT"));
            given().queryParam("workspace_addr", badBech32).get("/v1/treasury/keys").then().statusCode(400)
                    .body("code", equalTo("INVALID_ARGUMENT"));
        });
    }

    @Test
    void grpcQueriesWithBadAddressesAreRefused() {
        String badBech32 = badChecksum(SENDER.address());
        String workspaceForm = Bech32.encode("workspace", new byte[20]);
        String keyringForm = Bech32.encode("keyring", new byte[20]);
        unchangedAndHealthy(() -> {
            grpcRefused(() -> ledger.getBalance(GetBalanceRequest.newBuilder().setAddress(badBech32).build()).await()
                    .atMost(WAIT), Status.Code.INVALID_ARGUMENT, badBech32);
            grpcRefused(() -> ledger.getAccount(GetAccountRequest.newBuilder().setAddress(workspaceForm).build())
                    .await().atMost(WAIT), Status.Code.INVALID_ARGUMENT, "expected 'zen'");
            grpcRefused(() -> ledger.getWorkspace(GetWorkspaceRequest.newBuilder().setAddress(keyringForm).build())
                    .await().atMost(WAIT), Status.Code.INVALID_ARGUMENT, "expected 'workspace'");
            grpcRefused(() -> ledger.listKeyRequests(ListKeyRequestsRequest.newBuilder().setKeyringAddr(badBech32)
                    .build()).await().atMost(WAIT), Status.Code.INVALID_ARGUMENT, null);
            grpcRefused(() -> ledger.listKeys(ListKeysRequest.newBuilder().setWorkspaceAddr(keyringForm).build())
                    .await().atMost(WAIT), Status.Code.INVALID_ARGUMENT, null);
        });
    }

    // ------------------------------------------------------------------ wrong signatures

    @Test
    void grpcTxSignatureOfTruncatedLengthIsRefused() {
        byte[] good = signedSend(1);
        TxRaw parsed;
        try {
            parsed = TxRaw.parseFrom(good);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        byte[] shortSig = parsed.toBuilder().setSignature(parsed.getSignature().substring(0, 10)).build().toByteArray();
        unchangedAndHealthy(() -> grpcRefused(() -> ledger.broadcastTx(BroadcastTxRequest.newBuilder()
                .setTxBytes(ByteString.copyFrom(shortSig)).build()).await().atMost(WAIT), Status.Code.PERMISSION_DENIED,
                null));
    }

    @Test
    void restTxSignatureOfTruncatedLengthIsRefused() {
        byte[] good = signedSend(1);
        TxRaw parsed;
        try {
            parsed = TxRaw.parseFrom(good);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        byte[] shortSig = parsed.toBuilder().setSignature(parsed.getSignature().substring(0, 10)).build().toByteArray();
        unchangedAndHealthy(() -> LedgerRest.post(shortSig).then().statusCode(403)
                .body("code", equalTo("PERMISSION_DENIED")));
    }

    // ------------------------------------------------------------------ replays

    @Test
    void grpcSameTxRawTwiceAppliesOnce() {
        // REST and a different-body gRPC replay are in TransactionRestTest / BroadcastTxGrpcTest.
        byte[] tx = signedSend(3);
        ledger.broadcastTx(BroadcastTxRequest.newBuilder().setTxBytes(ByteString.copyFrom(tx)).build()).await()
                .atMost(WAIT);
        unchangedAndHealthy(() -> grpcRefused(() -> ledger.broadcastTx(BroadcastTxRequest.newBuilder()
                .setTxBytes(ByteString.copyFrom(tx)).build()).await().atMost(WAIT), Status.Code.FAILED_PRECONDITION,
                "replayed"));
    }

    @Test
    void samePartyResponseAfterFinalChangesNothing() {
        String ws = LedgerRest.newWorkspace(SENDER);
        String kr = LedgerRest.newKeyring(SENDER, 1, "7", P1);
        long id = LedgerRest.newKeyRequest(SENDER, ws, kr, "ecdsa", 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
        PartyResponse r = Parties.fulfil(P1, req, GROUP_KEY);
        KeyRequest done = ledger.fulfilKeyRequest(r).await().atMost(WAIT);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        long keyringBalance = LedgerRest.balance(kr);
        unchangedAndHealthy(() -> {
            // The identical response (same bytes) replayed after the request is final: a no-op.
            assertEquals(done, ledger.fulfilKeyRequest(r).await().atMost(WAIT));
            assertEquals(done, ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await()
                    .atMost(WAIT));
        });
        assertEquals(keyringBalance, LedgerRest.balance(kr), "fee released once");
        // Party responses have no REST route: the only way in is gRPC FulfilKeyRequest.
        given().contentType(ContentType.JSON).body("{}").post("/v1/treasury/key-requests/" + id + "/responses").then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(404), equalTo(405)));
    }

    @Test
    void partyResponseWithGarbageSignatureBytesIsRefused() {
        String ws = LedgerRest.newWorkspace(SENDER);
        String kr = LedgerRest.newKeyring(SENDER, 1, "7", P1);
        long id = LedgerRest.newKeyRequest(SENDER, ws, kr, "ecdsa", 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
        PartyResponse garbage = Parties.fulfil(P1, req, GROUP_KEY).toBuilder()
                .setSignature(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
        unchangedAndHealthy(() -> grpcRefused(() -> ledger.fulfilKeyRequest(garbage).await().atMost(WAIT),
                Status.Code.INVALID_ARGUMENT, "signature must be 64 bytes"));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, ledger.getKeyRequest(KeyRequestByIdRequest
                .newBuilder().setId(id).build()).await().atMost(WAIT).getStatus());
    }
}
