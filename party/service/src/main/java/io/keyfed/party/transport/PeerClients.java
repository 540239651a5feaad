package io.keyfed.party.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.grpc.RetryableStatus;
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
 * gRPC clients to the configured peers: one channel per peer (mutual TLS, or plain text in development:
 * {@link PeerChannels}), reused. Calls that fail with a
 * status {@link RetryableStatus} calls transient are made again with Mutiny's exponential backoff (100 ms
 * doubling to 2 s), never past the caller's deadline: see {@link #withRetry}. Verified peer identities are
 * cached. Envelopes to one peer are batched naturally: see {@link #deliver}.
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
    private final PeerChannels transport;
    private final String prefix;
    private final ScheduledExecutorService scheduler;
    private final long callTimeoutMillis;
    private final PeerRetry retry;
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
        this(directory, prefix, scheduler, callTimeoutMillis, PeerChannels.plaintext());
    }

    public PeerClients(PeerDirectory directory, String prefix, ScheduledExecutorService scheduler,
            long callTimeoutMillis, PeerChannels transport) {
        this.transport = transport;
        this.directory = directory;
        this.prefix = prefix;
        this.scheduler = scheduler;
        this.callTimeoutMillis = callTimeoutMillis;
        this.retry = new PeerRetry(scheduler, () -> closed);
    }

    private PeerDirectory.Endpoint endpoint(String address) {
        return directory.endpoint(address).orElseThrow(() -> new PartyException(Status.Code.FAILED_PRECONDITION,
                "no endpoint configured for party " + address + " (add it to keyfed.party.peers)"));
    }

    private <T> CompletableFuture<T> withRetry(String what, long deadlineMillis, Supplier<CompletionStage<T>> attempt) {
        return retry.call(what, deadlineMillis, attempt);
    }

    private PartyGrpc.PartyStub stub(String address, long deadlineMillis) {
        PeerDirectory.Endpoint ep = endpoint(address);
        ManagedChannel ch = channels.computeIfAbsent(address, a -> transport.open(ep.host(), ep.port(), MAX_MESSAGE_BYTES));
        long timeout = Math.max(1, Math.min(callTimeoutMillis, deadlineMillis - System.currentTimeMillis()));
        return PartyGrpc.newStub(ch).withDeadlineAfter(timeout, TimeUnit.MILLISECONDS);
    }

    /** Throws FAILED_PRECONDITION unless every address has a configured endpoint. */
    /** Whether {@code address} is a configured peer ({@code keyfed.party.peers}, this party excluded). */
    public boolean isConfigured(String address) {
        return directory.endpoint(address).isPresent();
    }

    public void requireEndpoints(Iterable<String> addresses) {
        for (String a : addresses) {
            endpoint(a);
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
                () -> PeerRetry.once(o -> stub(address, deadlineMillis).getIdentity(GetIdentityRequest.getDefaultInstance(), o)))
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
     * are retried on their own ({@link PeerRetry}: the envelope queues again after its backoff); any other
     * refusal fails the future with a {@link StatusRuntimeException} of the peer's code and message.
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
        withRetry(p.what, deadlineMillis, () -> attemptOnce(q, p)).whenComplete((v, e) -> {
            if (e == null) {
                p.result.complete(null);
            } else {
                p.result.completeExceptionally(e);
            }
        });
        return p.result;
    }

    private static PartyException shuttingDown(String what) {
        return new PartyException(Status.Code.CANCELLED, what + ": party shutting down");
    }

    private static PartyException deadlineReached(String what) {
        return new PartyException(Status.Code.DEADLINE_EXCEEDED, what + ": deadline reached");
    }

    /** The batched attempt found the peer without DeliverBatch: the envelope goes as a unary Deliver. */
    private static final class UseUnary extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UseUnary() {
            super("peer without DeliverBatch", null, false, false);
        }
    }

    /** One envelope on its way to a peer. */
    private static final class Pending {
        final PeerEnvelope envelope;
        final long deadlineMillis;
        final String what;
        final int bytes;
        final CompletableFuture<Void> result = new CompletableFuture<>();
        /** The outcome of the current attempt: the peer's answer for this envelope. */
        volatile CompletableFuture<Void> attempt = new CompletableFuture<>();

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

    /** One attempt to deliver the envelope: in the peer's next DeliverBatch call, or as a unary Deliver. */
    private CompletableFuture<Void> attemptOnce(PeerQueue q, Pending p) {
        if (System.currentTimeMillis() < q.unaryUntilMillis) {
            return deliverUnaryOnce(p);
        }
        CompletableFuture<Void> attempt = new CompletableFuture<>();
        p.attempt = attempt;
        submit(q, p);
        return attempt.exceptionallyCompose(e -> e instanceof UseUnary ? deliverUnaryOnce(p)
                : CompletableFuture.failedFuture(e));
    }

    private void submit(PeerQueue q, Pending p) {
        List<Pending> batch;
        List<Pending> expired = new ArrayList<>();
        synchronized (q) {
            q.waiting.add(p);
            if (q.inFlight) {
                return;
            }
            batch = takeBatch(q, expired);
        }
        expired.forEach(e -> e.attempt.completeExceptionally(deadlineReached(e.what)));
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
        expired.forEach(e -> e.attempt.completeExceptionally(deadlineReached(e.what)));
        send(q, batch);
    }

    private void send(PeerQueue q, List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (closed) {
            batch.forEach(p -> p.attempt.completeExceptionally(shuttingDown(p.what)));
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
            batch.forEach(p -> p.attempt.completeExceptionally(e));
            next(q);
        }
    }

    private void batchAnswered(PeerQueue q, List<Pending> batch, DeliverBatchAck ack) {
        if (ack == null || ack.getResultsCount() != batch.size()) {
            Status bad = Status.INTERNAL.withDescription("party " + q.address + " answered "
                    + (ack == null ? 0 : ack.getResultsCount()) + " results for a batch of " + batch.size()
                    + " envelopes");
            batch.forEach(p -> p.attempt.completeExceptionally(new PeerRetry.MalformedAnswer(bad)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            DeliverResult r = ack.getResults(i);
            Status s = Status.fromCodeValue(r.getCode());
            if (!r.getMessage().isEmpty()) {
                s = s.withDescription(r.getMessage());
            }
            settle(batch.get(i), s);
        }
    }

    /** The whole call failed: each envelope's attempt fails with its status (UNIMPLEMENTED: they go unary). */
    private void batchFailed(PeerQueue q, List<Pending> batch, Status s) {
        if (s.getCode() == Status.Code.UNIMPLEMENTED && !closed) {
            q.unaryUntilMillis = System.currentTimeMillis() + UNARY_FALLBACK_MILLIS;
            LOG.infof("party %s does not implement DeliverBatch; using unary Deliver to it", q.address);
            List<Pending> waiting;
            synchronized (q) {
                waiting = new ArrayList<>(q.waiting);
                q.waiting.clear();
            }
            batch.forEach(p -> p.attempt.completeExceptionally(new UseUnary()));
            waiting.forEach(p -> p.attempt.completeExceptionally(new UseUnary()));
            return;
        }
        for (Pending p : batch) {
            settle(p, s);
        }
    }

    /** One envelope's answer: delivered (OK, ALREADY_EXISTS), or the attempt fails with the peer's status. */
    private static void settle(Pending p, Status s) {
        if (s.isOk() || s.getCode() == Status.Code.ALREADY_EXISTS) {
            p.attempt.complete(null);
        } else {
            p.attempt.completeExceptionally(s.asRuntimeException());
        }
    }

    /** The envelope as one unary Deliver call; ALREADY_EXISTS counts as delivered. */
    private CompletableFuture<Void> deliverUnaryOnce(Pending p) {
        unarySent.incrementAndGet();
        String to = p.envelope.getRecipientAddr();
        return PeerRetry.<DeliverAck>once(o -> stub(to, p.deadlineMillis).deliver(p.envelope, o))
                .handle((ack, err) -> {
                    if (err == null || Status.fromThrowable(err).getCode() == Status.Code.ALREADY_EXISTS) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return CompletableFuture.<Void>failedFuture(err);
                }).thenCompose(f -> f);
    }

    /** DeliverBatch calls started (retries included). */
    public long batchesSent() {
        return batchesSent.get();
    }

    /** Envelopes sent in DeliverBatch calls (an envelope retried counts again). */
    public long envelopesSent() {
        return envelopesSent.get();
    }

    /** Unary Deliver calls made (to peers without DeliverBatch; retries included). */
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
