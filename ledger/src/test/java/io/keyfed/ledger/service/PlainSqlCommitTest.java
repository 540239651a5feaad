package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.ledger.support.HeldWriter;
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
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * NewKeyRequests and party answers are committed in plain SQL on the reactive client, in batches of the group
 * commit, and the other transactions through Hibernate, never in the same database transaction. The
 * writer is held busy by a change that waits for the test, so that the answers sent meanwhile queue up and
 * are then applied as one batch: deterministic, with no timing involved.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class PlainSqlCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(10);
    private static final TestAccount ADMIN = TestKeys.account(11);
    private static final TestAccount P1 = TestKeys.account(201);
    private static final TestAccount P2 = TestKeys.account(202);
    private static final TestAccount P3 = TestKeys.account(203);
    private static final byte[] GROUP_KEY = Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(20120203));

    @Inject
    CommitSequencer sequencer;

    @Inject
    Pool pool;

    @GrpcClient("ledger")
    Ledger ledger;

    @Test
    void answersOfOneKeyQueuedTogetherCommitInOneTransactionAndFulfilItOnce() throws Exception {
        KeyRequest req = newRequest(2, P1, P2, P3);
        long height = LedgerRest.height();
        long commits = sequencer.commits();
        long escrow = LedgerRest.balance(escrow());
        List<Object> results = whileHeld(List.of(Parties.fulfil(P1, req, GROUP_KEY), Parties.fulfil(P2, req, GROUP_KEY),
                Parties.fulfil(P3, req, GROUP_KEY)));
        List<KeyRequestStatus> statuses = new ArrayList<>();
        for (Object r : results) {
            statuses.add(((KeyRequest) r).getStatus());
        }
        // in order of arrival: the first answer makes it PARTIAL, the second FULFILLED, the third attests
        assertEquals(List.of(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED,
                KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED), statuses);
        KeyRequest done = get(req.getId());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(3, done.getHoldersCount());
        assertEquals(100, LedgerRest.balance(req.getKeyringAddr()), "the fee is released exactly once");
        assertEquals(escrow - 100, LedgerRest.balance(escrow()));
        assertEquals(3, ledger.getKey(KeyByIdRequest.newBuilder().setId(req.getId()).build()).await().atMost(WAIT)
                .getKey().getHoldersCount());
        // the holding change, then one batch of three (a deadline sweep landing meanwhile may add one)
        assertTrue(sequencer.commits() - commits <= 3, "commits: " + (sequencer.commits() - commits));
        assertTrue(LedgerRest.height() >= height + 3);
        assertEquals(3, countRows("select count(*) from tx_log where kind = 'party_response' and height > $1", height));
        assertEquals(3, countRows("select count(*) from request_events where request_id = $1 and kind = 1 and status in (2, 3)",
                req.getId()));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void anAnswerWhoseCommitFailsInABatchLeavesNoRowsAndTheOthersCommit() throws Exception {
        KeyRequest failing = newRequest(2, P1, P2);
        KeyRequest other = newRequest(2, P1, P2);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL,
                ledger.fulfilKeyRequest(Parties.fulfil(P1, failing, GROUP_KEY)).await().atMost(WAIT).getStatus());
        KeyRequest partial = get(failing.getId());
        long height = LedgerRest.height();
        long split = sequencer.splitBatches();
        long escrow = LedgerRest.balance(escrow());
        // The escrow cannot release the fee: the threshold answer fails after its other writes went out.
        moveEscrow(-escrow);
        List<Object> results;
        try {
            results = whileHeld(List.of(Parties.fulfil(P2, failing, GROUP_KEY), Parties.fulfil(P2, other, GROUP_KEY)));
        } finally {
            moveEscrow(escrow);
        }
        StatusRuntimeException refused = (StatusRuntimeException) results.get(0);
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode(), refused.getStatus().toString());
        assertTrue(refused.getStatus().getDescription().contains("insufficient funds"), refused.getStatus().getDescription());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, ((KeyRequest) results.get(1)).getStatus());
        assertEquals(split + 1, sequencer.splitBatches());

        assertEquals(partial, get(failing.getId()), "the failed answer changed the request");
        assertEquals(0, countRows("select count(*) from keys where id = $1", failing.getId()));
        assertEquals(0, LedgerRest.balance(failing.getKeyringAddr()));
        assertEquals(escrow, LedgerRest.balance(escrow()));
        assertEquals(0, countRows("select count(*) from request_events where request_id = $1 and kind = 1 and status = 3",
                failing.getId()));
        assertEquals(1, countRows("select count(*) from tx_log where kind = 'party_response' and height > $1", height),
                "only the other request's answer was logged");

        // Nothing of the failed attempt remains: the same answer, sent again, fulfils the request.
        KeyRequest done = ledger.fulfilKeyRequest(Parties.fulfil(P2, failing, GROUP_KEY)).await().atMost(WAIT);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, done.getStatus());
        assertEquals(100, LedgerRest.balance(failing.getKeyringAddr()));
        assertEquals(1, countRows("select count(*) from keys where id = $1", failing.getId()));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void changesOfBothKindsQueuedTogetherCommitInOrderOfArrival() throws Exception {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", P1, P2);
        long seq = LedgerRest.sequence(OWNER.address());
        TestAccount to = TestKeys.account(29);
        long toBefore = LedgerRest.balance(to.address());
        byte[] send1 = Txs.sign(OWNER, Txs.body(OWNER, seq).setSend(Txs.send(to.address(), "3")).build());
        byte[] create = Txs.sign(OWNER, Txs.body(OWNER, seq + 1)
                .setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0)).build());
        byte[] send2 = Txs.sign(OWNER, Txs.body(OWNER, seq + 2).setSend(Txs.send(to.address(), "4")).build());
        long commits = sequencer.commits();
        List<Response> results = whileHeldTxs(List.of(send1, create, send2));
        results.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        List<Long> heights = results.stream().map(r -> r.jsonPath().getLong("height")).toList();
        assertTrue(heights.get(0) < heights.get(1) && heights.get(1) < heights.get(2), heights.toString());
        // the holding change, then one transaction per run of one kind
        assertTrue(sequencer.commits() - commits <= 5, "commits: " + (sequencer.commits() - commits));
        assertEquals(seq + 3, LedgerRest.sequence(OWNER.address()));
        assertEquals(toBefore + 7, LedgerRest.balance(to.address()));
        long id = results.get(1).jsonPath().getLong("key_request_id");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, get(id).getStatus());
        assertEquals(1, countRows("select count(*) from request_events where request_id = $1 and kind = 1", id));
        // the NewKeyRequest's sequence was used: sent again, it is refused and changes nothing
        long height = LedgerRest.height();
        Response replay = LedgerRest.post(create);
        assertEquals(409, replay.statusCode(), replay.asString());
        assertTrue(replay.asString().contains("replayed or out of order"), replay.asString());
        assertEquals(height, LedgerRest.height());
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    private KeyRequest newRequest(int threshold, TestAccount... parties) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, threshold, "100", parties);
        return get(LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0));
    }

    private KeyRequest get(long id) {
        return ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    private static String escrow() {
        return RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
    }

    /** Test set-up outside the ledger: moves the escrow's balance row by {@code delta}, relative to what it is. */
    private void moveEscrow(long delta) {
        pool.preparedQuery("update accounts set balance = balance + $2 where address = $1")
                .execute(Tuple.of(escrow(), delta)).await().atMost(WAIT);
    }

    private long countRows(String sql, long arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private List<Response> whileHeldTxs(List<byte[]> txs) throws Exception {
        List<Supplier<CompletableFuture<Response>>> sends = txs.stream()
                .<Supplier<CompletableFuture<Response>>>map(tx -> () -> CompletableFuture.supplyAsync(
                        () -> LedgerRest.post(tx)))
                .toList();
        List<Response> out = new ArrayList<>();
        for (CompletableFuture<Response> f : HeldWriter.whileHeld(sequencer, sends)) {
            out.add(f.get());
        }
        return out;
    }

    /**
     * Sends the answers while a held change keeps the writer busy; releases it once all are queued. Each
     * result is the request after the answer, or the StatusRuntimeException that refused it.
     */
    private List<Object> whileHeld(List<PartyResponse> answers) throws Exception {
        List<Supplier<CompletableFuture<KeyRequest>>> sends = answers.stream()
                .<Supplier<CompletableFuture<KeyRequest>>>map(a -> () -> ledger.fulfilKeyRequest(a)
                        .subscribeAsCompletionStage())
                .toList();
        List<CompletableFuture<KeyRequest>> futures = HeldWriter.whileHeld(sequencer, sends);
        List<Object> out = new ArrayList<>();
        for (CompletableFuture<KeyRequest> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof StatusRuntimeException, e.toString());
                out.add(e.getCause());
            }
        }
        return out;
    }
}
