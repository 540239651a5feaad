package io.keyfed.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Context;

/**
 * One gRPC watch stream for the final statuses (FULFILLED, REJECTED) of a keyring's requests of one kind (key
 * requests: {@link KeyRequestWatch}; sign requests: {@link SignRequestWatch}), resubscribing from its cursor on
 * failure. A worker waits on {@link #future(long)} for its request.
 */
abstract class FinalStatusWatch {
    /** A request's final status. */
    enum Status { FULFILLED, REJECTED }

    /** A final status as seen by this process, at {@code nanos} ({@link System#nanoTime()}). */
    record Final(Status status, long nanos, String reason, boolean viaPoll) {
    }

    private final ConcurrentHashMap<Long, CompletableFuture<Final>> pending = new ConcurrentHashMap<>();
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private final CountDownLatch open = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile Context.CancellableContext ctx;

    CompletableFuture<Final> future(long id) {
        return pending.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void forget(long id) {
        pending.remove(id);
    }

    /** Counts a final status that the stream had not delivered and a REST look-up found. */
    void countMiss() {
        misses.incrementAndGet();
    }

    int reconnects() {
        return reconnects.get();
    }

    int misses() {
        return misses.get();
    }

    boolean awaitOpen(int seconds) throws InterruptedException {
        return open.await(seconds, TimeUnit.SECONDS);
    }

    /** Opens the stream from {@code cursor} (inside the watch's cancellable context); events go to {@link #event}. */
    protected abstract void subscribe(long cursor);

    /** A stream observer that hands each event to {@code onEvent} and calls {@link #ended} when the stream ends. */
    protected final <T> io.grpc.stub.StreamObserver<T> observer(java.util.function.Consumer<T> onEvent) {
        return new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(T value) {
                onEvent.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                ended();
            }

            @Override
            public void onCompleted() {
                ended();
            }
        };
    }

    /** A streamed event: advances the cursor and completes the request's future when {@code status} is final. */
    protected final void event(long eventCursor, long id, Status status, String reason) {
        long now = System.nanoTime();
        cursor.accumulateAndGet(eventCursor, Math::max);
        if (status != null) {
            future(id).complete(new Final(status, now, reason, false));
        }
    }

    /** The stream failed or ended: subscribe again from the last cursor, unless stopped. */
    protected final void ended() {
        resubscribe();
    }

    void start() {
        Context.CancellableContext c = Context.current().withCancellation();
        ctx = c;
        long from = cursor.get();
        c.run(() -> subscribe(from));
        // The ledger emits nothing until an event matches; a short pause lets the subscription settle
        // (the REST fallback covers anything missed meanwhile).
        new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open.countDown();
        }).start();
    }

    private void resubscribe() {
        if (stopped) {
            return;
        }
        reconnects.incrementAndGet();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        start();
    }

    void stop() {
        stopped = true;
        if (ctx != null) {
            ctx.cancel(null);
        }
    }
}
