package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.TxResult;
import io.keyfed.ledger.support.HeldWriter;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.TestSigner;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sign requests are created, answered and expired in plain SQL on the reactive client: answers queued together
 * commit as one batch of the group commit, each writing its request row, event, fee movement and log entry, and
 * the hash-chained log still verifies from its first entry with the supply unchanged.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignRequestsInPlainSqlTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(37);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(211);
    private static final TestAccount B = TestKeys.account(212);
    private static final TestAccount C = TestKeys.account(213);
    private static final TestSigner KEY = TestSigner.ed25519("plain-sql");

    @Inject
    CommitSequencer sequencer;

    @Inject
    SignRequestService signRequests;

    @Inject
    Pool pool;

    @GrpcClient("ledger")
    Ledger ledger;

    @Test
    void answersOfOneSignRequestQueuedTogetherCommitInOneTransactionAndReleaseTheFeeOnce() throws Exception {
        SignRequest req = newRequest(0, new byte[] {1, 2}, new byte[] {3});
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING, req.getStatus());
        assertEquals("20", req.getFee());
        assertEquals(1, SignSetup.events(pool, req.getId()));
        long height = LedgerRest.height();
        long commits = sequencer.commits();
        long escrow = LedgerRest.balance(escrow());
        long keyring = LedgerRest.balance(req.getKeyringAddr());

        List<SignRequest> results = whileHeld(List.of(SignParties.reject(A, req, "no share"),
                SignParties.fulfil(B, req, KEY), SignParties.fulfil(C, req, KEY)));

        // in order of arrival: the rejection makes it PARTIAL, the signatures FULFILLED, the last is recorded
        assertEquals(List.of(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED,
                SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED), results.stream().map(SignRequest::getStatus).toList());
        SignRequest done = SignSetup.get(ledger, req.getId());
        assertEquals(results.get(2), done);
        assertEquals(3, done.getKeyringPartySigsCount());
        assertEquals(2, done.getSignaturesCount());
        assertEquals(done, SignSetup.read(pool, req.getId()));
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED_VALUE, storedStatus(req.getId()));
        assertEquals(keyring + 20, LedgerRest.balance(req.getKeyringAddr()), "the fee is released exactly once");
        assertEquals(escrow - 20, LedgerRest.balance(escrow()));
        // the holding change, then one batch of three (a deadline sweep landing meanwhile may add one)
        assertTrue(sequencer.commits() - commits <= 3, "commits: " + (sequencer.commits() - commits));
        assertEquals(3, count("select count(*) from tx_log where kind = 'sign_response' and height > $1", height));
        assertEquals(4, SignSetup.events(pool, req.getId()));
        assertLogVerifies();
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void aSignRequestPastItsDeadlineIsRejectedOnceAndItsFeeRefunded() {
        SignRequest req = newRequest(0, new byte[] {7});
        long owner = LedgerRest.balance(OWNER.address());
        // Test set-up outside the ledger: the deadline column moved into the past, so the request is due now.
        pool.preparedQuery("update sign_requests set deadline_unix_ms = 1 where id = $1").execute(Tuple.of(req.getId()))
                .await().atMost(WAIT);
        signRequests.expire(req.getId()).await().atMost(WAIT);
        // a second expiry (here or by the sweeper) finds it final and does nothing
        assertEquals(null, signRequests.expire(req.getId()).await().atMost(WAIT));

        SignRequest done = SignSetup.get(ledger, req.getId());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, done.getStatus());
        assertEquals(KeyRequestService.DEADLINE_EXCEEDED, done.getRejectReason());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED_VALUE, storedStatus(req.getId()));
        assertEquals(owner + 10, LedgerRest.balance(OWNER.address()), "fee refunded once");
        assertEquals(1, pool.preparedQuery("select count(*) from tx_log where kind = 'sign_timeout' and outcome = $1")
                .execute(Tuple.of("sign request " + req.getId() + " rejected: deadline exceeded, fee refunded to "
                        + OWNER.address()))
                .await().atMost(WAIT).iterator().next().getLong(0));
        assertEquals(2, SignSetup.events(pool, req.getId()));
        assertLogVerifies();
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    /** A new 2-of-3 keyring (A, B, C) with sign fee 10 per message, a key on it held by KEY, and a request. */
    private SignRequest newRequest(long timeout, byte[]... messages) {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 2, "10", A, B, C);
        long keyId = SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ed25519", KEY.publicKey(), 2, A, B, C);
        TxResult r = SignSetup.broadcast(ledger, OWNER, SignSetup.request(keyId, List.of(messages), timeout, ""));
        assertTrue(r.getSignRequestId() != 0, r.getOutcome());
        assertTrue(r.getOutcome().startsWith("sign request " + r.getSignRequestId() + " created"), r.getOutcome());
        return SignSetup.get(ledger, r.getSignRequestId());
    }

    /** Every log entry from height 1 chains to the one before and the head, as `keyfed verify-log` checks. */
    private void assertLogVerifies() {
        byte[] prev = new byte[32];
        long expected = 1;
        for (Row row : pool.query("select height, hash, prev_hash, tx_bytes, outcome from tx_log order by height")
                .execute().await().atMost(WAIT)) {
            assertEquals(expected, row.getLong("height"));
            assertArrayEquals(prev, row.getBuffer("prev_hash").getBytes(), "prev_hash at " + expected);
            byte[] hash = ChainLog.hash(prev, row.getBuffer("tx_bytes").getBytes(), row.getString("outcome"));
            assertArrayEquals(hash, row.getBuffer("hash").getBytes(), "hash at " + expected);
            prev = hash;
            expected++;
        }
        Row head = pool.query("select height, hash from chain_head").execute().await().atMost(WAIT).iterator().next();
        assertTrue(head.getLong("height") >= expected - 1);
    }

    private int storedStatus(long id) {
        return pool.preparedQuery("select status from sign_requests where id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT).iterator().next().getInteger(0);
    }

    private long count(String sql, long arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static String escrow() {
        return RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
    }

    /** Sends the answers while a held change keeps the writer busy; releases it once all are queued. */
    private List<SignRequest> whileHeld(List<PartySignResponse> answers) throws Exception {
        List<Supplier<CompletableFuture<SignRequest>>> sends = answers.stream()
                .<Supplier<CompletableFuture<SignRequest>>>map(a -> () -> ledger.fulfilSignatureRequest(a)
                        .subscribeAsCompletionStage())
                .toList();
        List<SignRequest> out = new ArrayList<>();
        for (CompletableFuture<SignRequest> f : HeldWriter.whileHeld(sequencer, sends)) {
            out.add(f.get());
        }
        return out;
    }
}
