package io.keyfed.ledger.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.Txs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Group commit. The writer is held busy by a change that waits for the test, so that the transactions
 * sent meanwhile queue up and are then applied as one batch: deterministic, with no timing involved.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class CommitSequencerTest {
    private static final int N = 6; // senders are accounts 22..27

    @Inject
    CommitSequencer sequencer;

    @Test
    void shouldApplyQueuedTransactionsInOneCommit() throws Exception {
        long height = LedgerRest.height();
        long commits = sequencer.commits();
        List<Response> results = whileHeld(N, k -> send(22 + k, TestKeys.account(29).address(), "5"));
        results.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        List<Long> heights = results.stream().map(r -> r.jsonPath().getLong("height")).distinct().toList();
        assertEquals(N, heights.size());
        assertTrue(heights.stream().allMatch(h -> h > height), heights.toString());
        // the holding change, then one batch of N (a deadline sweep landing meanwhile may add one)
        assertTrue(sequencer.commits() - commits <= 3, "commits: " + (sequencer.commits() - commits));
        assertTrue(LedgerRest.height() >= height + N);
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    @Test
    void shouldRefuseOnlyTheFailingTransactionOfABatch() throws Exception {
        long height = LedgerRest.height();
        long split = sequencer.splitBatches();
        String to = TestKeys.account(28).address();
        long before = LedgerRest.balance(to);
        // the fourth sender asks for more than it has: refused inside the batch, after the others' changes
        List<Response> results = whileHeld(N, k -> send(22 + k, to, k == 3 ? "999999999" : "7"));
        for (int k = 0; k < N; k++) {
            Response r = results.get(k);
            if (k == 3) {
                assertEquals(409, r.statusCode(), r.asString());
                assertTrue(r.asString().contains("insufficient"), r.asString());
            } else {
                assertEquals(200, r.statusCode(), r.asString());
            }
        }
        assertEquals(split + 1, sequencer.splitBatches());
        assertTrue(LedgerRest.height() >= height + N - 1);
        assertEquals(before + 7L * (N - 1), LedgerRest.balance(to));
        assertEquals(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED, LedgerRest.totalBalances());
    }

    private interface Sender {
        Response send(int k);
    }

    private static Response send(int account, String to, String amount) {
        var from = TestKeys.account(account);
        long seq = LedgerRest.sequence(from.address());
        return LedgerRest.post(Txs.sign(from, Txs.body(from, seq).setSend(Txs.send(to, amount)).build()));
    }

    /** Runs n senders while a held change keeps the writer busy; releases it once all n are queued. */
    private List<Response> whileHeld(int n, Sender sender) throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        // The held change must resume on its own Vert.x context, where its database session lives.
        Uni<Void> hold = sequencer.submit(head -> Uni.createFrom().emitter(em -> {
            Context writer = Vertx.currentContext();
            release.thenRun(() -> writer.runOnContext(v -> em.complete(null)));
            holding.complete(null);
        }));
        CompletableFuture<Void> held = hold.subscribeAsCompletionStage();
        holding.get();
        long queuedBefore = sequencer.queued();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int kk = k;
                futures.add(pool.submit(() -> sender.send(kk)));
            }
            while (sequencer.queued() < queuedBefore + n) {
                Thread.sleep(10); // waits for a state, asserts nothing about time
            }
            release.complete(null);
            held.get();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
