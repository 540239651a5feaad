package io.keyfed.ledger.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.keyfed.ledger.service.CommitSequencer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Keeps the ledger's single writer busy with a held change of the test's own while changes are sent, so that
 * they queue up in send order (each send waits until the one before it is queued) and are applied together once
 * the hold is released. Waits for states, asserts nothing about time.
 */
public final class HeldWriter {
    private HeldWriter() {
    }

    /** Sends each of {@code sends} while the writer is held, releases it, and returns the sends' futures. */
    public static <T> List<CompletableFuture<T>> whileHeld(CommitSequencer sequencer,
            List<Supplier<CompletableFuture<T>>> sends) throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        // The held change must resume on its own Vert.x context, where its database session lives.
        CompletableFuture<Void> held = sequencer.submit(head -> Uni.createFrom().<Void>emitter(em -> {
            Context writer = Vertx.currentContext();
            release.thenRun(() -> writer.runOnContext(v -> em.complete(null)));
            holding.complete(null);
        })).subscribeAsCompletionStage();
        holding.get();
        long before = sequencer.queued();
        List<CompletableFuture<T>> futures = new ArrayList<>();
        try {
            for (Supplier<CompletableFuture<T>> send : sends) {
                futures.add(send.get());
                while (sequencer.queued() < before + futures.size()) {
                    Thread.sleep(10);
                }
            }
        } finally {
            release.complete(null);
        }
        held.get();
        return futures;
    }
}
