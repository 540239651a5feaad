package io.keyfed.party.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.party.v1.DeliverAck;
import io.keyfed.api.party.v1.DeliverBatchAck;
import io.keyfed.api.party.v1.DeliverResult;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.PeerEnvelopeBatch;
import io.keyfed.party.config.PeerDirectory;
import io.keyfed.party.session.PartyException;

/**
 * gRPC clients to the configured peers: one plaintext channel per peer, reused. Calls that fail with
 * a transient status (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED) are retried with
 * exponential backoff (100 ms doubling to 2 s) until the caller's deadline. Verified peer identities
 * are cached. Envelopes to one peer are batched naturally: see {@link #deliver}.
 */
public final class PeerClients implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerClients.class);
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    /** Most envelopes in one DeliverBatch call; the party endpoint refuses larger batches. */
    public static final int MAX_BATCH_ENVELOPES = 256;
    /** Most envelope bytes in one DeliverBatch call: half the peer's 1 MiB inbound message limit. */
    public static final int MAX_BATCH_BYTES = 512 * 1024;
    /** How long a peer that answered DeliverBatch with UNIMPLEMENTED gets unary Deliver calls before the next try. */
    static final long UNARY_FALLBACK_MILLIS = 60_000;

    private final PeerDirectory directory;
    private final String prefix;
    private final ScheduledExecutorService scheduler;
    private final long callTimeoutMillis;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, PeerIdentity> identities = new ConcurrentHashMap<>();
    private final Map<String, PeerQueue> queues = new ConcurrentHashMap<>();
    /** Every delivery future not yet completed, so that {@link #close()} can fail them. */
    private final Set<CompletableFuture<Void>> outstanding = ConcurrentHashMap.newKeySet();
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong envelopesSent = new AtomicLong();
    private final AtomicLong unarySent = new AtomicLong();
    private volatile boolean closed;

    public PeerClients(PeerDirectory directory, String prefix, ScheduledExecutorService scheduler,
            long callTimeoutMillis) {
        this.directory = directory;
        this.prefix = prefix;
        this.scheduler = scheduler;
        this.callTimeoutMillis = callTimeoutMillis;
    }

    private PeerDirectory.Endpoint endpoint(String address) {
        return directory.endpoint(address).orElseThrow(() -> new PartyException(Status.Code.FAILED_PRECONDITION,
                "no endpoint configured for party " + address + " (add it to keyfed.party.peers)"));
    }

    private PartyGrpc.PartyStub stub(String address, long deadlineMillis) {
        PeerDirectory.Endpoint ep = endpoint(address);
        ManagedChannel ch = channels.computeIfAbsent(address, a -> NettyChannelBuilder.forAddress(ep.host(), ep.port())
                .usePlaintext().maxInboundMessageSize(MAX_MESSAGE_BYTES).build());
        long timeout = Math.max(1, Math.min(callTimeoutMillis, deadlineMillis - System.currentTimeMillis()));
        return PartyGrpc.newStub(ch).withDeadlineAfter(timeout, TimeUnit.MILLISECONDS);
    }

    /** Throws FAILED_PRECONDITION unless every address has a configured endpoint. */
    public void requireEndpoints(Iterable<String> addresses) {
        for (String a : addresses) {
            endpoint(a);
        }
    }

    /** First wait before a retry; each retry doubles it, up to {@link #MAX_BACKOFF_MILLIS}. */
    private static final long FIRST_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /** How long to wait before the next retry: the backoff, but never past the deadline. */
    private static long waitBeforeRetry(long backoff, long deadlineMillis) {
        return Math.min(backoff, Math.max(0, deadlineMillis - System.currentTimeMillis()));
    }

    private static long nextBackoff(long backoff) {
        return Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }

    private static boolean transientCode(Status.Code c) {
        return c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED
                || c == Status.Code.RESOURCE_EXHAUSTED || c == Status.Code.ABORTED;
    }

    private interface Call<T> {
        void start(StreamObserver<T> observer);
    }

    private <T> CompletableFuture<T> withRetry(String what, long deadlineMillis, Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(what, deadlineMillis, call, result, FIRST_BACKOFF_MILLIS);
        return result;
    }

    private <T> void attempt(String what, long deadlineMillis, Call<T> call, CompletableFuture<T> result,
            long backoff) {
        if (closed) {
            result.completeExceptionally(new PartyException(Status.Code.CANCELLED, what + ": party shutting down"));
            return;
        }
        if (System.currentTimeMillis() >= deadlineMillis) {
            result.completeExceptionally(new PartyException(Status.Code.DEADLINE_EXCEEDED, what
                    + ": deadline reached"));
            return;
        }
        try {
            call.start(new StreamObserver<T>() {
                private T value;

                @Override
                public void onNext(T v) {
                    value = v;
                }

                @Override
                public void onError(Throwable t) {
                    Status s = Status.fromThrowable(t);
                    if (transientCode(s.getCode()) && !closed) {
                        long wait = waitBeforeRetry(backoff, deadlineMillis);
                        LOG.debugf("%s: %s; retrying in %d ms", what, s.getCode(), wait);
                        try {
                            scheduler.schedule(() -> attempt(what, deadlineMillis, call, result,
                                    nextBackoff(backoff)), wait, TimeUnit.MILLISECONDS);
                        } catch (RejectedExecutionException e) {
                            result.completeExceptionally(t);
                        }
                    } else {
                        result.completeExceptionally(t);
                    }
                }

                @Override
                public void onCompleted() {
                    result.complete(value);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * The peer's identity, fetched with GetIdentity (retried until the deadline) and verified against
     * the snapshot's address and identity key; cached once verified.
     */
    public CompletableFuture<PeerIdentity> identity(String address, byte[] registeredKey, long deadlineMillis) {
        PeerIdentity cached = identities.get(address);
        if (cached != null && cached.sameKeys(registeredKey)) {
            return CompletableFuture.completedFuture(cached);
        }
        try {
            endpoint(address);
        } catch (PartyException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] expected = Arrays.copyOf(registeredKey, registeredKey.length);
        return this.<PartyIdentity>withRetry("GetIdentity of " + address, deadlineMillis,
                o -> stub(address, deadlineMillis).getIdentity(GetIdentityRequest.getDefaultInstance(), o))
                .thenApply(reply -> {
                    PeerIdentity verified;
                    try {
                        verified = PeerIdentity.verify(reply, address, expected, prefix);
                    } catch (IllegalArgumentException e) {
                        throw new PartyException(Status.Code.FAILED_PRECONDITION, e.getMessage());
                    }
                    identities.put(address, verified);
                    return verified;
                });
    }

    /**
     * Delivers one envelope; the future completes when the peer accepted it. ALREADY_EXISTS (the peer
     * has it already, e.g. a retry after a lost acknowledgement) counts as delivered; transient refusals
     * are retried with backoff until the deadline; any other refusal fails the future with a
     * {@link StatusRuntimeException} of the peer's code and message.
     *
     * <p>Envelopes to one peer travel in {@code DeliverBatch} calls, one call at a time per peer: with no
     * call in flight the envelope leaves at once; otherwise it waits for the call in flight to complete
     * and leaves with everything else queued meanwhile (at most {@link #MAX_BATCH_ENVELOPES} envelopes,
     * {@link #MAX_BATCH_BYTES} bytes). No timer is involved. A peer that answers UNIMPLEMENTED (an older
     * version) gets unary {@code Deliver} calls for {@link #UNARY_FALLBACK_MILLIS}, then is tried again.
     */
    public CompletableFuture<Void> deliver(PeerEnvelope envelope, long deadlineMillis) {
        String to = envelope.getRecipientAddr();
        Pending p = new Pending(envelope, deadlineMillis, "Deliver kind " + envelope.getKind() + " to " + to);
        outstanding.add(p.result);
        p.result.whenComplete((v, e) -> outstanding.remove(p.result));
        if (closed) {
            p.result.completeExceptionally(shuttingDown(p.what));
            return p.result;
        }
        PeerDirectory.Endpoint ep;
        try {
            ep = endpoint(to);
        } catch (PartyException e) {
            p.result.completeExceptionally(e);
            return p.result;
        }
        PeerQueue q = queues.computeIfAbsent(to, a -> new PeerQueue(ep.address()));
        submit(q, p);
        return p.result;
    }

    private static PartyException shuttingDown(String what) {
        return new PartyException(Status.Code.CANCELLED, what + ": party shutting down");
    }

    private static PartyException deadlineReached(String what) {
        return new PartyException(Status.Code.DEADLINE_EXCEEDED, what + ": deadline reached");
    }

    /** One envelope on its way to a peer. */
    private static final class Pending {
        final PeerEnvelope envelope;
        final long deadlineMillis;
        final String what;
        final int bytes;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        /** Wait before this envelope's next retry; doubles up to 2 s. */
        long backoff = FIRST_BACKOFF_MILLIS;

        Pending(PeerEnvelope envelope, long deadlineMillis, String what) {
            this.envelope = envelope;
            this.deadlineMillis = deadlineMillis;
            this.what = what;
            this.bytes = envelope.getSerializedSize() + 8;
        }
    }

    /** The envelopes waiting for one peer, and whether a DeliverBatch call to it is in flight. Guarded by itself. */
    private static final class PeerQueue {
        final String address;
        final ArrayDeque<Pending> waiting = new ArrayDeque<>();
        boolean inFlight;
        /** Until when this peer gets unary Deliver calls (it answered DeliverBatch with UNIMPLEMENTED). */
        volatile long unaryUntilMillis;

        PeerQueue(String address) {
            this.address = address;
        }
    }

    private void submit(PeerQueue q, Pending p) {
        if (System.currentTimeMillis() < q.unaryUntilMillis) {
            deliverUnary(p);
            return;
        }
        List<Pending> batch;
        List<Pending> expired = new ArrayList<>();
        synchronized (q) {
            q.waiting.add(p);
            if (q.inFlight) {
                return;
            }
            batch = takeBatch(q, expired);
        }
        expired.forEach(e -> e.result.completeExceptionally(deadlineReached(e.what)));
        send(q, batch);
    }

    /**
     * Takes the next batch off the queue (expired envelopes go to {@code expired}) and marks a call in
     * flight when the batch is not empty. Caller holds the queue's lock.
     */
    private static List<Pending> takeBatch(PeerQueue q, List<Pending> expired) {
        List<Pending> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        int bytes = 0;
        while (!q.waiting.isEmpty() && batch.size() < MAX_BATCH_ENVELOPES) {
            Pending next = q.waiting.peek();
            if (next.result.isDone()) {
                q.waiting.poll();
                continue;
            }
            if (now >= next.deadlineMillis) {
                expired.add(q.waiting.poll());
                continue;
            }
            if (!batch.isEmpty() && bytes + next.bytes > MAX_BATCH_BYTES) {
                break;
            }
            bytes += next.bytes;
            batch.add(q.waiting.poll());
        }
        q.inFlight = !batch.isEmpty();
        return batch;
    }

    /** The call in flight to {@code q} has been answered: send what queued up meanwhile, if anything. */
    private void next(PeerQueue q) {
        List<Pending> batch;
        List<Pending> expired = new ArrayList<>();
        synchronized (q) {
            q.inFlight = false;
            if (closed) {
                return;
            }
            batch = takeBatch(q, expired);
        }
        expired.forEach(e -> e.result.completeExceptionally(deadlineReached(e.what)));
        send(q, batch);
    }

    private void send(PeerQueue q, List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (closed) {
            batch.forEach(p -> p.result.completeExceptionally(shuttingDown(p.what)));
            next(q);
            return;
        }
        PeerEnvelopeBatch.Builder request = PeerEnvelopeBatch.newBuilder();
        long deadline = 0;
        for (Pending p : batch) {
            request.addEnvelopes(p.envelope);
            deadline = Math.max(deadline, p.deadlineMillis);
        }
        batchesSent.incrementAndGet();
        envelopesSent.addAndGet(batch.size());
        try {
            stub(q.address, deadline).deliverBatch(request.build(), new StreamObserver<DeliverBatchAck>() {
                private DeliverBatchAck ack;

                @Override
                public void onNext(DeliverBatchAck value) {
                    ack = value;
                }

                @Override
                public void onError(Throwable t) {
                    batchFailed(q, batch, Status.fromThrowable(t));
                    next(q);
                }

                @Override
                public void onCompleted() {
                    batchAnswered(q, batch, ack);
                    next(q);
                }
            });
        } catch (RuntimeException e) {
            batch.forEach(p -> p.result.completeExceptionally(e));
            next(q);
        }
    }

    private void batchAnswered(PeerQueue q, List<Pending> batch, DeliverBatchAck ack) {
        if (ack == null || ack.getResultsCount() != batch.size()) {
            Status bad = Status.INTERNAL.withDescription("party " + q.address + " answered "
                    + (ack == null ? 0 : ack.getResultsCount()) + " results for a batch of " + batch.size()
                    + " envelopes");
            batch.forEach(p -> p.result.completeExceptionally(bad.asRuntimeException()));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            DeliverResult r = ack.getResults(i);
            Status s = Status.fromCodeValue(r.getCode());
            if (!r.getMessage().isEmpty()) {
                s = s.withDescription(r.getMessage());
            }
            settle(q, batch.get(i), s);
        }
    }

    /** The whole call failed: a transient failure retries each envelope on its own, anything else fails them. */
    private void batchFailed(PeerQueue q, List<Pending> batch, Status s) {
        if (s.getCode() == Status.Code.UNIMPLEMENTED && !closed) {
            q.unaryUntilMillis = System.currentTimeMillis() + UNARY_FALLBACK_MILLIS;
            LOG.infof("party %s does not implement DeliverBatch; using unary Deliver to it", q.address);
            batch.forEach(this::deliverUnary);
            List<Pending> waiting;
            synchronized (q) {
                waiting = new ArrayList<>(q.waiting);
                q.waiting.clear();
            }
            waiting.forEach(this::deliverUnary);
            return;
        }
        for (Pending p : batch) {
            settle(q, p, s);
        }
    }

    /** One envelope's outcome: delivered, retried later (transient), or failed with the peer's status. */
    private void settle(PeerQueue q, Pending p, Status s) {
        if (s.isOk() || s.getCode() == Status.Code.ALREADY_EXISTS) {
            p.result.complete(null);
        } else if (closed) {
            p.result.completeExceptionally(shuttingDown(p.what));
        } else if (transientCode(s.getCode())) {
            long wait = waitBeforeRetry(p.backoff, p.deadlineMillis);
            p.backoff = nextBackoff(p.backoff);
            LOG.debugf("%s: %s; retrying in %d ms", p.what, s.getCode(), wait);
            try {
                scheduler.schedule(() -> retry(q, p), wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                p.result.completeExceptionally(s.asRuntimeException());
            }
        } else {
            p.result.completeExceptionally(s.asRuntimeException());
        }
    }

    private void retry(PeerQueue q, Pending p) {
        if (closed) {
            p.result.completeExceptionally(shuttingDown(p.what));
        } else if (System.currentTimeMillis() >= p.deadlineMillis) {
            p.result.completeExceptionally(deadlineReached(p.what));
        } else {
            submit(q, p);
        }
    }

    /** The envelope as one unary Deliver call, retried as before batching existed. */
    private void deliverUnary(Pending p) {
        unarySent.incrementAndGet();
        String to = p.envelope.getRecipientAddr();
        this.<DeliverAck>withRetry(p.what, p.deadlineMillis, o -> stub(to, p.deadlineMillis).deliver(p.envelope, o))
                .whenComplete((ack, err) -> {
                    if (err == null) {
                        p.result.complete(null);
                        return;
                    }
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    if (cause instanceof StatusRuntimeException sre
                            && sre.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                        p.result.complete(null);
                    } else {
                        p.result.completeExceptionally(cause);
                    }
                });
    }

    /** DeliverBatch calls started (retries included). */
    public long batchesSent() {
        return batchesSent.get();
    }

    /** Envelopes sent in DeliverBatch calls (an envelope retried counts again). */
    public long envelopesSent() {
        return envelopesSent.get();
    }

    /** Envelopes sent as unary Deliver calls (to peers without DeliverBatch). */
    public long unarySent() {
        return unarySent.get();
    }

    /** Stops the channels; every delivery not yet completed fails with CANCELLED. */
    @Override
    public void close() {
        closed = true;
        for (PeerQueue q : queues.values()) {
            synchronized (q) {
                q.waiting.clear();
            }
        }
        for (CompletableFuture<Void> f : List.copyOf(outstanding)) {
            f.completeExceptionally(new PartyException(Status.Code.CANCELLED, "delivery cancelled: party shutting down"));
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel ch : channels.values()) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        channels.clear();
    }
}
