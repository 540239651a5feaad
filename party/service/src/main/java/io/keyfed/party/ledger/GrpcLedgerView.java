package io.keyfed.party.ledger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

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
 */
@Singleton
public class GrpcLedgerView implements LedgerView {
    private static final Logger LOG = Logger.getLogger(GrpcLedgerView.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    private final long callTimeoutMillis;
    private final AtomicReference<String> chainId = new AtomicReference<>();

    @Inject
    public GrpcLedgerView(@GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger, PartyConfig config) {
        this(ledger, config.ledgerCallTimeout());
    }

    public GrpcLedgerView(MutinyLedgerGrpc.MutinyLedgerStub ledger, Duration callTimeout) {
        this.ledger = ledger;
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

    private static <T> Uni<T> call(String what, long deadlineMillis, Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> System.currentTimeMillis() >= deadlineMillis
                        ? Uni.createFrom().<T>failure(Status.DEADLINE_EXCEEDED
                                .withDescription("deadline reached before calling the ledger").asRuntimeException())
                        : attempt.get())
                .onFailure(RetryableStatus::isRetryable).invoke(f -> LOG.debugf("ledger %s: %s; retrying", what,
                        RetryableStatus.describe(f)))
                .onFailure(RetryableStatus::isRetryable).retry()
                .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0).expireAt(deadlineMillis);
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
