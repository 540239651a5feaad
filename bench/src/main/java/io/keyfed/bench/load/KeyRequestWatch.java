package io.keyfed.bench.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;

/**
 * One gRPC {@code WatchKeyRequests} stream for the final statuses (FULFILLED, REJECTED) of a keyring's
 * requests, resubscribing from its cursor on failure. A worker waits on {@link #future(long)} for its request.
 */
final class KeyRequestWatch {
    /** A final status as seen by this process, at {@code nanos} ({@link System#nanoTime()}). */
    record Final(KeyRequestStatus status, long nanos, String reason, boolean viaPoll) {
    }

    private final LedgerGrpc.LedgerStub stub;
    private final String keyring;
    private final ConcurrentHashMap<Long, CompletableFuture<Final>> pending = new ConcurrentHashMap<>();
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private final CountDownLatch open = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile Context.CancellableContext ctx;

    KeyRequestWatch(ManagedChannel ch, String keyring) {
        this.stub = LedgerGrpc.newStub(ch);
        this.keyring = keyring;
    }

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

    void start() {
        WatchKeyRequestsRequest req = WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setCursor(cursor.get()).build();
        Context.CancellableContext c = Context.current().withCancellation();
        ctx = c;
        c.run(() -> stub.watchKeyRequests(req, new StreamObserver<>() {
            @Override
            public void onNext(KeyRequestEvent ev) {
                long now = System.nanoTime();
                cursor.accumulateAndGet(ev.getCursor(), Math::max);
                KeyRequestStatus st = ev.getRequest().getStatus();
                if (st == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                        || st == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
                    future(ev.getRequest().getId())
                            .complete(new Final(st, now, ev.getRequest().getRejectReason(), false));
                }
            }

            @Override
            public void onError(Throwable t) {
                resubscribe();
            }

            @Override
            public void onCompleted() {
                resubscribe();
            }
        }));
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
