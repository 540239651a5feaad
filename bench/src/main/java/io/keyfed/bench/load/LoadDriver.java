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
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxSubmitter;

/**
 * The closed loop: one worker per owner account (so account sequences never race), each submitting a
 * request (a NewKeyRequest, {@link #keys}, or a NewSignatureRequest, {@link #signatures}), waiting for its final
 * status and submitting the next, until the phase's total is issued. Final statuses come from the
 * {@link FinalStatusWatch}; latency runs from the moment POST /v1/txs returned to the moment the event arrived.
 * A request whose event has not come after a few seconds is looked up over REST.
 */
final class LoadDriver {
    private static final int LOOKUP_AFTER_SECONDS = 3;
    private static final int GRACE_SECONDS = 15;

    /**
     * One request's outcome; {@code status} is null for a request that did not become final, {@code error} is
     * null for a fulfilled request.
     */
    record Outcome(long id, FinalStatusWatch.Status status, long latencyNanos, long doneNanos, String error) {
        boolean fulfilled() {
            return status == FinalStatusWatch.Status.FULFILLED;
        }
    }

    /** Submits one request signed by {@code owner}; returns its id. */
    @FunctionalInterface
    interface Submit {
        long submit(SigningKey owner) throws LedgerClientException;
    }

    /** The request's REST view (status, reject_reason), for a final status the stream has not delivered. */
    @FunctionalInterface
    interface LookUp {
        JsonNode get(long id) throws LedgerClientException;
    }

    private final List<SigningKey> owners;
    private final Submit submit;
    private final LookUp rest;
    private final int timeoutSeconds;
    private final FinalStatusWatch watch;

    LoadDriver(List<SigningKey> owners, Submit submit, LookUp rest, int timeoutSeconds, FinalStatusWatch watch) {
        this.owners = owners;
        this.submit = submit;
        this.rest = rest;
        this.timeoutSeconds = timeoutSeconds;
        this.watch = watch;
    }

    /** NewKeyRequests of {@code type} for the workspace's keys. */
    static LoadDriver keys(TxSubmitter tx, List<SigningKey> owners, String workspace, String keyring, String type,
            int timeoutSeconds, KeyRequestWatch watch) {
        return new LoadDriver(owners, owner -> tx.submit(owner, b -> b.setNewKeyRequest(MsgNewKeyRequest.newBuilder()
                .setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(type)
                .setTimeoutSeconds(timeoutSeconds))).path("key_request_id").asLong(),
                id -> tx.api().keyRequest(id), timeoutSeconds, watch);
    }

    /**
     * NewSignatureRequests of {@code messages} messages each ({@link SignLoad#messages}, all different), over
     * {@code keyIds} in turn.
     */
    static LoadDriver signatures(TxSubmitter tx, List<SigningKey> owners, List<Long> keyIds, String type,
            int messages, int timeoutSeconds, SignRequestWatch watch) {
        AtomicLong seq = new AtomicLong();
        return new LoadDriver(owners, owner -> {
            long n = seq.getAndIncrement();
            MsgNewSignatureRequest.Builder m = MsgNewSignatureRequest.newBuilder()
                    .setKeyId(keyIds.get((int) (n % keyIds.size()))).setTimeoutSeconds(timeoutSeconds);
            SignLoad.messages(type, n, messages).forEach(b -> m.addMessages(ByteString.copyFrom(b)));
            return tx.submit(owner, b -> b.setNewSignatureRequest(m)).path("sign_request_id").asLong();
        }, id -> tx.api().signRequest(id), timeoutSeconds, watch);
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
            id = submit.submit(owner);
            start = System.nanoTime();
        } catch (LedgerClientException e) {
            return failed(0, "submit: " + e.getMessage());
        }
        CompletableFuture<FinalStatusWatch.Final> f = watch.future(id);
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds + (long) GRACE_SECONDS);
        while (true) {
            try {
                FinalStatusWatch.Final fin = f.get(LOOKUP_AFTER_SECONDS, TimeUnit.SECONDS);
                watch.forget(id);
                long lat = Math.max(0, fin.nanos() - start);
                return new Outcome(id, fin.status(), lat, fin.nanos(),
                        fin.status() == FinalStatusWatch.Status.FULFILLED ? null : "rejected: " + fin.reason());
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

    private void lookUp(long id, CompletableFuture<FinalStatusWatch.Final> f) {
        try {
            JsonNode r = rest.get(id);
            String st = r.path("status").asText();
            if (st.endsWith("_FULFILLED") || st.endsWith("_REJECTED")) {
                watch.countMiss();
                f.complete(new FinalStatusWatch.Final(st.endsWith("_FULFILLED") ? FinalStatusWatch.Status.FULFILLED
                        : FinalStatusWatch.Status.REJECTED, System.nanoTime(), r.path("reject_reason").asText(), true));
            }
        } catch (LedgerClientException ex) {
            // the deadline decides
        }
    }

    private static Outcome failed(long id, String error) {
        return new Outcome(id, null, 0, System.nanoTime(), error);
    }
}
