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
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

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

    private static final class Pending<T> {
        final Change<T> change;
        final CompletableFuture<T> result = new CompletableFuture<>();
        /** The submitter's Vert.x context, where its result is delivered; null off Vert.x. */
        final Context caller;

        Pending(Change<T> change, Context caller) {
            this.change = change;
            this.caller = caller;
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

    public CommitSequencer(ChainHeadRepository heads, Vertx vertx, LedgerConfig config, LedgerMetrics metrics) {
        this.heads = heads;
        this.vertx = vertx;
        this.maxBatch = Math.max(1, config.commitBatchSize());
        this.metrics = metrics;
    }

    /** Queues {@code change} when the returned Uni is subscribed; the Uni ends after its commit. */
    public <T> Uni<T> submit(Change<T> change) {
        return Uni.createFrom().deferred(() -> {
            Pending<T> p = new Pending<>(change, Vertx.currentContext());
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
     * use inside a {@link Change}.
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
        while (batch.size() < maxBatch && (p = queue.poll()) != null) {
            batch.add(p);
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
        if (batch.size() == 1) {
            return alone(batch.get(0));
        }
        List<Object> results = new ArrayList<>(batch.size());
        return Panache.withTransaction(() -> heads.lockHead().invoke(h -> notifications.clear())
                .chain(head -> applyFrom(head, batch, 0, results)).chain(this::sendNotifications))
                .onItem().invoke(() -> {
                    commits.increment();
                    applied.add(batch.size());
                    metrics.committed(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).succeed(results.get(i));
                    }
                })
                .onFailure().recoverWithUni(t -> {
                    // Some change failed, and the whole batch was rolled back: apply each on its own.
                    splitBatches.increment();
                    LOG.debugf("batch of %d changes rolled back (%s); applying them one by one", batch.size(),
                            t.getMessage());
                    return Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(this::alone)
                            .collect().last();
                });
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

    private Uni<Void> sendNotifications() {
        if (notifications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] payloads = notifications.toArray(String[]::new);
        notifications.clear();
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select count(*) from (select pg_notify(:channel, p) from unnest(cast(:payloads as text[])) p) n")
                .setParameter("channel", KeyRequestEvents.CHANNEL)
                .setParameter("payloads", payloads)
                .getSingleResult())
                .replaceWithVoid();
    }

    private <T> Uni<Void> alone(Pending<T> p) {
        return Panache.withTransaction(() -> heads.lockHead().invoke(h -> notifications.clear())
                .chain(p.change::apply).call(this::sendNotifications))
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
