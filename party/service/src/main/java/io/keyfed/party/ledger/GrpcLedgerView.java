package io.keyfed.party.ledger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.keyfed.api.grpc.RetryableStatus;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.party.config.PartyConfig;
import io.keyfed.party.session.PartyException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * {@link LedgerView} over the Quarkus gRPC client {@code ledger} ({@code quarkus.grpc.clients.ledger.host/port}).
 * Each call has a deadline ({@code keyfed.party.ledger-call-timeout}); calls failing with a status that
 * {@link RetryableStatus} calls transient are made again with Mutiny's exponential backoff (100 ms doubling to
 * 2 s, no jitter), never past the caller's deadline. Nothing blocks: the answer arrives on the gRPC client's
 * thread, and callers move on to their own executor. The chain id is asked once and kept.
 *
 * <p>An attempt that times out or ends INTERNAL drops the channel's connection ({@link ManagedChannel#enterIdle},
 * at most once per call timeout), so that the next attempt opens a new one: after a ledger restart a connection
 * opened while the ledger was starting was seen to take calls and never answer them until the ledger's idle
 * timeout closed it a minute later (GOAWAY "Request stream N is not correct for server connection"), and every
 * retry on it timed out too. Calls already running on the old connection go on.
 */
@Singleton
public class GrpcLedgerView implements LedgerView {
    private static final Logger LOG = Logger.getLogger(GrpcLedgerView.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    /** The stub's channel, whose connection a timed-out attempt drops; null when it cannot be (not managed). */
    private final ManagedChannel channel;
    private final long callTimeoutMillis;
    private final AtomicReference<String> chainId = new AtomicReference<>();
    private final AtomicLong lastReset = new AtomicLong();

    @Inject
    public GrpcLedgerView(@GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger,
            @GrpcClient("ledger") Channel channel, PartyConfig config) {
        this(ledger, channel, config.ledgerCallTimeout());
    }

    public GrpcLedgerView(MutinyLedgerGrpc.MutinyLedgerStub ledger, Channel channel, Duration callTimeout) {
        this.ledger = ledger;
        this.channel = channel instanceof ManagedChannel managed ? managed : null;
        if (this.channel == null) {
            LOG.warnf("the ledger channel (%s) cannot drop a stuck connection; a stuck one lasts until it closes",
                    channel == null ? "none" : channel.getClass().getName());
        }
        this.callTimeoutMillis = callTimeout.toMillis();
    }

    @Override
    public CompletableFuture<String> chainId(long deadlineMillis) {
        String known = chainId.get();
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return call("GetParams", deadlineMillis,
                () -> stub(deadlineMillis).getParams(GetParamsRequest.getDefaultInstance()))
                .map(p -> {
                    chainId.compareAndSet(null, p.getChainId());
                    return chainId.get();
                })
                .onFailure().transform(f -> unavailable("GetParams", f))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletableFuture<Optional<KeyRequest>> keyRequest(long id, long deadlineMillis) {
        String what = "GetKeyRequest(" + Long.toUnsignedString(id) + ")";
        return call(what, deadlineMillis,
                () -> stub(deadlineMillis).getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()))
                .map(Optional::of)
                .onFailure(f -> Status.fromThrowable(f).getCode() == Status.Code.NOT_FOUND)
                .recoverWithItem(Optional.empty())
                .onFailure().transform(f -> unavailable(what, f))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletableFuture<Optional<SignRequest>> signRequest(long id, long deadlineMillis) {
        String what = "GetSignRequest(" + Long.toUnsignedString(id) + ")";
        return call(what, deadlineMillis,
                () -> stub(deadlineMillis).getSignRequest(SignRequestByIdRequest.newBuilder().setId(id).build()))
                .map(Optional::of)
                .onFailure(f -> Status.fromThrowable(f).getCode() == Status.Code.NOT_FOUND)
                .recoverWithItem(Optional.empty())
                .onFailure().transform(f -> unavailable(what, f))
                .subscribeAsCompletionStage();
    }

    /** The stub with this attempt's deadline: the call timeout, or what is left until the caller's deadline. */
    private MutinyLedgerGrpc.MutinyLedgerStub stub(long deadlineMillis) {
        long left = Math.min(callTimeoutMillis, deadlineMillis - System.currentTimeMillis());
        return ledger.withDeadlineAfter(Math.max(1, left), TimeUnit.MILLISECONDS);
    }

    private <T> Uni<T> call(String what, long deadlineMillis, Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> System.currentTimeMillis() >= deadlineMillis
                        ? Uni.createFrom().<T>failure(Status.DEADLINE_EXCEEDED
                                .withDescription("deadline reached before calling the ledger").asRuntimeException())
                        : attempt.get())
                .onFailure(RetryableStatus::isRetryable).invoke(f -> {
                    LOG.debugf("ledger %s: %s; retrying", what, RetryableStatus.describe(f));
                    dropStuckConnection(what, f);
                })
                .onFailure(RetryableStatus::isRetryable).retry()
                .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0).expireAt(deadlineMillis);
    }

    /** After a timed-out or INTERNAL attempt: the next attempt gets a new connection (at most once per timeout). */
    private void dropStuckConnection(String what, Throwable failure) {
        Status.Code code = Status.fromThrowable(failure).getCode();
        if (channel == null || (code != Status.Code.DEADLINE_EXCEEDED && code != Status.Code.INTERNAL)) {
            return;
        }
        long now = System.currentTimeMillis();
        long last = lastReset.get();
        if (now - last >= callTimeoutMillis && lastReset.compareAndSet(last, now)) {
            LOG.warnf("ledger %s: %s; opening a new connection to the ledger for the next calls", what,
                    RetryableStatus.describe(failure));
            channel.enterIdle();
        }
    }

    private static PartyException unavailable(String what, Throwable failure) {
        if (failure instanceof PartyException pe) {
            return pe;
        }
        LOG.warnf("ledger %s failed: %s", what, RetryableStatus.describe(failure));
        return new PartyException(Status.Code.UNAVAILABLE, "the ledger could not be asked (" + what + "): "
                + RetryableStatus.describe(failure));
    }
}
