package io.keyfed.ledger.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.keyfed.ledger.config.LedgerConfig;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.repository.ChainHeadRepository;
import io.keyfed.ledger.repository.ChainSql;
import io.keyfed.ledger.repository.EventSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Group commit. Every change of ledger state (a transaction, a party response, a deadline expiry) is a
 * {@link Change} queued here and applied by one writer, in order of arrival. Changes that arrive
 * while a commit is running wait, and the next database transaction applies up to
 * {@code keyfed.ledger.commit-batch-size} of them, one after the other, under a single chain-head lock
 * and a single commit. Under load this turns several lock/commit round trips per key into a fraction
 * of one; with one change at a time it is exactly the unbatched path.
 *
 * <p>All or nothing per change: if any change of a batch fails (a refused transaction, a lost
 * connection), the batch's database transaction is rolled back and each of its changes is applied
 * again on its own, in the same order. A refused change thus still changes nothing, and the others
 * commit as if they had come alone. Changes must therefore be safe to run twice before a commit: they
 * read everything they need inside the transaction and keep no state outside it.
 *
 * <p>Two kinds of change: a {@link Change} runs in a Hibernate Reactive session, a {@link SqlChange} in
 * plain prepared SQL on a reactive-client connection (the hot path: NewKeyRequests and NewSignatureRequests, party
 * answers and deadline expiries of key and sign requests). A session cannot share its connection, so one database transaction applies changes of one
 * kind only: a batch is the longest run of queued changes of the same kind, in order of arrival. Both kinds
 * take the same chain-head lock, so they stay serialised with each other.
 *
 * <p>Several ledger replicas on one database each have their own sequencer; the chain-head row lock
 * still serialises them.
 */
@ApplicationScoped
public class CommitSequencer {
    private static final Logger LOG = Logger.getLogger(CommitSequencer.class);

    /** A change of ledger state, run inside a database transaction that holds the chain-head lock. */
    @FunctionalInterface
    public interface Change<T> {
        Uni<T> apply(ChainHeadEntity head);
    }

    /**
     * A change of ledger state in plain SQL, run on {@code connection} inside its transaction, which holds
     * the chain-head lock. {@code head} is a plain value: the sequencer writes it back before the commit.
     */
    @FunctionalInterface
    public interface SqlChange<T> {
        Uni<T> apply(SqlConnection connection, ChainHeadEntity head);
    }

    private static final class Pending<T> {
        /** Exactly one of change and sql is set. */
        final Change<T> change;
        final SqlChange<T> sql;
        final CompletableFuture<T> result = new CompletableFuture<>();
        /** The submitter's Vert.x context, where its result is delivered; null off Vert.x. */
        final Context caller;

        Pending(Change<T> change, SqlChange<T> sql, Context caller) {
            this.change = change;
            this.sql = sql;
            this.caller = caller;
        }

        boolean plainSql() {
            return sql != null;
        }

        void succeed(Object value) {
            @SuppressWarnings("unchecked")
            T v = (T) value;
            deliver(() -> result.complete(v));
        }

        void fail(Throwable t) {
            deliver(() -> result.completeExceptionally(t));
        }

        private void deliver(Runnable r) {
            if (caller == null) {
                r.run();
            } else {
                caller.runOnContext(v -> r.run());
            }
        }
    }

    private final ChainHeadRepository heads;
    private final Pool pool;
    private final ChainSql chain;
    private final EventSql eventSql;
    private final Vertx vertx;
    private final int maxBatch;
    private final LedgerMetrics metrics;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final LongAdder commits = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder splitBatches = new LongAdder();
    private volatile Context root;
    /**
     * NOTIFY payloads of the transaction being applied, sent once each just before it commits. Touched
     * only by the writer, one transaction at a time.
     */
    private final Set<String> notifications = new LinkedHashSet<>();

    public CommitSequencer(ChainHeadRepository heads, Pool pool, ChainSql chain, EventSql eventSql, Vertx vertx,
            LedgerConfig config, LedgerMetrics metrics) {
        this.heads = heads;
        this.pool = pool;
        this.chain = chain;
        this.eventSql = eventSql;
        this.vertx = vertx;
        this.maxBatch = Math.max(1, config.commitBatchSize());
        this.metrics = metrics;
    }

    /** Queues {@code change} when the returned Uni is subscribed; the Uni ends after its commit. */
    public <T> Uni<T> submit(Change<T> change) {
        return enqueue(change, null);
    }

    /** Queues a plain-SQL {@code change} when the returned Uni is subscribed; the Uni ends after its commit. */
    public <T> Uni<T> submitSql(SqlChange<T> change) {
        return enqueue(null, change);
    }

    private <T> Uni<T> enqueue(Change<T> change, SqlChange<T> sql) {
        return Uni.createFrom().deferred(() -> {
            Pending<T> p = new Pending<>(change, sql, Vertx.currentContext());
            queue.add(p);
            drain();
            return Uni.createFrom().completionStage(p.result);
        });
    }

    /** Database transactions committed by this sequencer so far (batches and single changes). */
    public long commits() {
        return commits.sum();
    }

    /** Changes committed so far; {@code changesApplied() / commits()} is the mean batch size. */
    public long changesApplied() {
        return applied.sum();
    }

    /**
     * Asks for one {@code NOTIFY channel, payload} in the transaction now being applied. Many changes of a
     * batch asking for the same payload cost one statement (PostgreSQL would fold them anyway). Only for
     * use inside a {@link SqlChange} (request events are written in plain SQL only).
     */
    public void notifyOnCommit(String payload) {
        notifications.add(payload);
    }

    /** Changes waiting for the writer. */
    public int queued() {
        return queue.size();
    }

    /** Batches that had a failing change and were re-applied one change at a time. */
    public long splitBatches() {
        return splitBatches.sum();
    }

    void onStop(@Observes ShutdownEvent event) {
        long c = commits();
        if (c > 0) {
            LOG.infof("group commit: %d changes in %d commits (%.2f per commit), %d batches split by a refusal",
                    changesApplied(), c, (double) changesApplied() / c, splitBatches());
        }
    }

    private void drain() {
        if (queue.isEmpty() || !running.compareAndSet(false, true)) {
            return;
        }
        List<Pending<?>> batch = new ArrayList<>();
        Pending<?> p;
        // Only this writer polls (it holds "running"), so the head seen by peek is the one polled.
        while (batch.size() < maxBatch && (p = queue.peek()) != null
                && (batch.isEmpty() || p.plainSql() == batch.get(0).plainSql())) {
            batch.add(queue.poll());
        }
        if (batch.isEmpty()) {
            finish();
            return;
        }
        writerContext().runOnContext(v -> {
            try {
                run(batch).subscribe().with(ok -> finish(), t -> abandon(batch, t));
            } catch (RuntimeException t) {
                abandon(batch, t);
            }
        });
    }

    /** Never expected (every change's failure is delivered to its submitter); keeps the writer alive. */
    private void abandon(List<Pending<?>> batch, Throwable t) {
        LOG.errorf("commit sequencer: unexpected failure: %s", t.toString());
        batch.forEach(q -> q.fail(t));
        finish();
    }

    private void finish() {
        running.set(false);
        drain();
    }

    /**
     * A fresh duplicated context of one event-loop context per batch: the Panache session lives in the
     * duplicated context, so batches never share one.
     */
    private Context writerContext() {
        Context r = root;
        if (r == null) {
            r = VertxContext.getRootContext(vertx.getOrCreateContext());
            root = r;
        }
        Context dup = VertxContext.createNewDuplicatedContext(r);
        VertxContextSafetyToggle.setContextSafe(dup, true);
        return dup;
    }

    private Uni<Void> run(List<Pending<?>> batch) {
        if (batch.get(0).plainSql()) {
            return runSql(batch);
        }
        if (batch.size() == 1) {
            return alone(batch.get(0));
        }
        List<Object> results = new ArrayList<>(batch.size());
        return Panache.withTransaction(() -> heads.lockHead().chain(head -> applyFrom(head, batch, 0, results)))
                .onItem().invoke(() -> committed(batch, results))
                .onFailure().recoverWithUni(t -> split(batch, t));
    }

    private void committed(List<Pending<?>> batch, List<Object> results) {
        commits.increment();
        applied.add(batch.size());
        metrics.committed(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(results.get(i));
        }
    }

    /** Some change failed, and the whole batch was rolled back: applies each on its own. */
    private Uni<Void> split(List<Pending<?>> batch, Throwable t) {
        splitBatches.increment();
        LOG.debugf("batch of %d changes rolled back (%s); applying them one by one", batch.size(), t.getMessage());
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(p -> p.plainSql() ? aloneSql(p) : alone(p))
                .collect().last();
    }

    /** A batch of plain-SQL changes: one reactive-client transaction, the head written back once. */
    private Uni<Void> runSql(List<Pending<?>> batch) {
        if (batch.size() == 1) {
            return aloneSql(batch.get(0));
        }
        List<Object> results = new ArrayList<>(batch.size());
        return pool.withTransaction(c -> chain.lockHead(c).chain(head -> {
            notifications.clear();
            HeadState before = new HeadState(head);
            return applySqlFrom(c, head, batch, 0, results).chain(() -> finishSql(c, head, before));
        })).onItem().invoke(() -> committed(batch, results))
                .onFailure().recoverWithUni(t -> split(batch, t));
    }

    private Uni<Void> applySqlFrom(SqlConnection c, ChainHeadEntity head, List<Pending<?>> batch, int i,
            List<Object> results) {
        if (i == batch.size()) {
            return Uni.createFrom().voidItem();
        }
        return batch.get(i).sql.apply(c, head).chain(r -> {
            results.add(r);
            return applySqlFrom(c, head, batch, i + 1, results);
        });
    }

    private <T> Uni<Void> aloneSql(Pending<T> p) {
        return pool.withTransaction(c -> chain.lockHead(c).chain(head -> {
            notifications.clear();
            HeadState before = new HeadState(head);
            return p.sql.apply(c, head).call(() -> finishSql(c, head, before));
        })).onItemOrFailure().invoke((r, t) -> {
            if (t == null) {
                commits.increment();
                applied.increment();
                metrics.committed(1);
                p.succeed(r);
            } else {
                p.fail(t);
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Before the commit: the head written back if a change moved it, then the NOTIFYs, in one pipeline. */
    private Uni<Void> finishSql(SqlConnection c, ChainHeadEntity head, HeadState before) {
        Uni<Void> store = before.same(head) ? Uni.createFrom().voidItem() : chain.storeHead(c, head);
        if (notifications.isEmpty()) {
            return store;
        }
        String[] payloads = notifications.toArray(String[]::new);
        notifications.clear();
        return Uni.combine().all().unis(store, eventSql.notify(c, KeyRequestEvents.CHANNEL, payloads))
                .discardItems();
    }

    /** The head's fields as locked, to see whether a batch moved it. */
    private record HeadState(long height, byte[] hash, long nextRequestId, long nextSignRequestId) {
        HeadState(ChainHeadEntity h) {
            this(h.height, h.hash, h.nextRequestId, h.nextSignRequestId);
        }

        boolean same(ChainHeadEntity h) {
            return h.height == height && h.hash == hash && h.nextRequestId == nextRequestId
                    && h.nextSignRequestId == nextSignRequestId;
        }
    }

    private Uni<Void> applyFrom(ChainHeadEntity head, List<Pending<?>> batch, int i, List<Object> results) {
        if (i == batch.size()) {
            return Uni.createFrom().voidItem();
        }
        return batch.get(i).change.apply(head).chain(r -> {
            results.add(r);
            return applyFrom(head, batch, i + 1, results);
        });
    }

    private <T> Uni<Void> alone(Pending<T> p) {
        return Panache.withTransaction(() -> heads.lockHead().chain(p.change::apply))
                .onItemOrFailure().invoke((r, t) -> {
                    if (t == null) {
                        commits.increment();
                        applied.increment();
                        metrics.committed(1);
                        p.succeed(r);
                    } else {
                        p.fail(t);
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
