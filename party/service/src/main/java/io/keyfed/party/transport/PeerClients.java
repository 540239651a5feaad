package io.keyfed.party.transport;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.party.v1.DeliverAck;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.config.PeerDirectory;
import io.keyfed.party.session.PartyException;

/**
 * gRPC clients to the configured peers: one plaintext channel per peer, reused. Calls that fail with
 * a transient status (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED) are retried with
 * exponential backoff (100 ms doubling to 2 s) until the caller's deadline. Verified peer identities
 * are cached.
 */
public final class PeerClients implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PeerClients.class);
    private static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final PeerDirectory directory;
    private final String prefix;
    private final ScheduledExecutorService scheduler;
    private final long callTimeoutMillis;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, PeerIdentity> identities = new ConcurrentHashMap<>();
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

    private static boolean transientCode(Status.Code c) {
        return c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED
                || c == Status.Code.RESOURCE_EXHAUSTED || c == Status.Code.ABORTED;
    }

    private interface Call<T> {
        void start(StreamObserver<T> observer);
    }

    private <T> CompletableFuture<T> withRetry(String what, long deadlineMillis, Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(what, deadlineMillis, call, result, 100);
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
                        long wait = Math.min(backoff, Math.max(0, deadlineMillis - System.currentTimeMillis()));
                        LOG.debugf("%s: %s; retrying in %d ms", what, s.getCode(), wait);
                        try {
                            scheduler.schedule(() -> attempt(what, deadlineMillis, call, result,
                                    Math.min(backoff * 2, 2000)), wait, TimeUnit.MILLISECONDS);
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
     * Delivers one envelope, retrying transient failures until the deadline. ALREADY_EXISTS (the peer
     * has it already, e.g. a retry after a lost acknowledgement) counts as delivered.
     */
    public CompletableFuture<Void> deliver(PeerEnvelope envelope, long deadlineMillis) {
        String to = envelope.getRecipientAddr();
        return this.<DeliverAck>withRetry("Deliver kind " + envelope.getKind() + " to " + to, deadlineMillis,
                o -> stub(to, deadlineMillis).deliver(envelope, o))
                .handle((ack, err) -> {
                    if (err == null) {
                        return null;
                    }
                    Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                    if (cause instanceof StatusRuntimeException sre && sre.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                        return null;
                    }
                    throw err instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(err);
                });
    }

    @Override
    public void close() {
        closed = true;
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
