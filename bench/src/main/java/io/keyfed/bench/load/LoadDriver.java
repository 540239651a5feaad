package io.keyfed.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxSubmitter;

/**
 * The closed loop: one worker per owner account (so account sequences never race), each submitting a
 * NewKeyRequest, waiting for its final status and submitting the next, until the phase's total is issued.
 * Final statuses come from the {@link KeyRequestWatch}; latency runs from the moment POST /v1/txs returned to
 * the moment the event arrived. A request whose event has not come after a few seconds is looked up over REST.
 */
final class LoadDriver {
    private static final int LOOKUP_AFTER_SECONDS = 3;
    private static final int GRACE_SECONDS = 15;

    /** One request's outcome; {@code error} is null for a fulfilled request. */
    record Outcome(long id, KeyRequestStatus status, long latencyNanos, long doneNanos, String error) {
        boolean fulfilled() {
            return status == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
        }
    }

    private final TxSubmitter tx;
    private final List<SigningKey> owners;
    private final String workspace;
    private final String keyring;
    private final String type;
    private final int timeoutSeconds;
    private final KeyRequestWatch watch;

    LoadDriver(TxSubmitter tx, List<SigningKey> owners, String workspace, String keyring, String type,
            int timeoutSeconds, KeyRequestWatch watch) {
        this.tx = tx;
        this.owners = owners;
        this.workspace = workspace;
        this.keyring = keyring;
        this.type = type;
        this.timeoutSeconds = timeoutSeconds;
        this.watch = watch;
    }

    /** Submits {@code total} requests with one in flight per owner; returns every outcome. */
    List<Outcome> phase(int total) throws InterruptedException {
        AtomicInteger issued = new AtomicInteger();
        List<Outcome> out = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(owners.size());
        for (int w = 0; w < owners.size(); w++) {
            SigningKey owner = owners.get(w);
            Thread t = new Thread(() -> {
                try {
                    while (issued.getAndIncrement() < total) {
                        out.add(one(owner));
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-worker-" + w);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return new ArrayList<>(out);
    }

    private Outcome one(SigningKey owner) {
        long id;
        long start;
        try {
            JsonNode r = tx.submit(owner, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                    .setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(type)
                    .setTimeoutSeconds(timeoutSeconds)));
            start = System.nanoTime();
            id = r.path("key_request_id").asLong();
        } catch (LedgerClientException e) {
            return failed(0, "submit: " + e.getMessage());
        }
        CompletableFuture<KeyRequestWatch.Final> f = watch.future(id);
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds + (long) GRACE_SECONDS);
        while (true) {
            try {
                KeyRequestWatch.Final fin = f.get(LOOKUP_AFTER_SECONDS, TimeUnit.SECONDS);
                watch.forget(id);
                long lat = Math.max(0, fin.nanos() - start);
                return new Outcome(id, fin.status(), lat, fin.nanos(),
                        fin.status() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED ? null
                                : "rejected: " + fin.reason());
            } catch (TimeoutException e) {
                // The watch has not said anything yet: look it up, in case the stream missed it.
                lookUp(id, f);
                if (!f.isDone() && System.nanoTime() > deadline) {
                    watch.forget(id);
                    return failed(id, "not final after " + (timeoutSeconds + GRACE_SECONDS) + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(id, "interrupted");
            } catch (ExecutionException e) {
                return failed(id, String.valueOf(e.getCause()));
            }
        }
    }

    private void lookUp(long id, CompletableFuture<KeyRequestWatch.Final> f) {
        try {
            JsonNode r = tx.api().keyRequest(id);
            String st = r.path("status").asText();
            if (st.endsWith("FULFILLED") || st.endsWith("REJECTED")) {
                watch.countMiss();
                f.complete(new KeyRequestWatch.Final(KeyRequestStatus.valueOf(st), System.nanoTime(),
                        r.path("reject_reason").asText(), true));
            }
        } catch (LedgerClientException ex) {
            // the deadline decides
        }
    }

    private static Outcome failed(long id, String error) {
        return new Outcome(id, KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED, 0, System.nanoTime(), error);
    }
}
