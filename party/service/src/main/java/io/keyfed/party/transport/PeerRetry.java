package io.keyfed.party.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.grpc.RetryableStatus;
import io.keyfed.party.session.PartyException;
import io.smallrye.mutiny.Uni;

/**
 * How {@link PeerClients} retries a call to a peer: Mutiny's retry with exponential backoff (100 ms doubling
 * to 2 s, no jitter) while the peer answers with a status {@link RetryableStatus} calls transient, never past
 * the caller's deadline.
 */
final class PeerRetry {
    private static final Logger LOG = Logger.getLogger(PeerRetry.class);

    /** First pause before a retry; each retry doubles it, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier closed;

    PeerRetry(ScheduledExecutorService scheduler, BooleanSupplier closed) {
        this.scheduler = scheduler;
        this.closed = closed;
    }

    /** A peer's answer that breaks the protocol (a batch acknowledged with the wrong count): never retried. */
    static final class MalformedAnswer extends StatusRuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(Status status) {
            super(status);
        }
    }

    interface Call<T> {
        void start(StreamObserver<T> observer);
    }

    /** One gRPC call, its answer (or failure) as a future. */
    static <T> CompletableFuture<T> once(Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.start(new StreamObserver<T>() {
            private T value;

            @Override
            public void onNext(T v) {
                value = v;
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(value);
            }
        });
        return result;
    }

    /** A peer's status worth another attempt; local failures (PartyException, anything without a status) are not. */
    private boolean retryable(Throwable t) {
        return !closed.getAsBoolean() && !(t instanceof MalformedAnswer)
                && (t instanceof StatusRuntimeException || t instanceof StatusException)
                && RetryableStatus.isRetryable(t);
    }

    /**
     * Makes the attempt, and again with Mutiny's exponential backoff (no jitter) while it fails with a
     * {@link #retryable} status; a retry whose pause would end past the deadline is not made, and the call
     * fails with DEADLINE_EXCEEDED then. Once closed, or past the deadline, no attempt is started.
     */
    <T> CompletableFuture<T> call(String what, long deadlineMillis, Supplier<CompletionStage<T>> attempt) {
        AtomicReference<Throwable> last = new AtomicReference<>();
        return Uni.createFrom().deferred(() -> {
                    if (closed.getAsBoolean()) {
                        return Uni.createFrom().<T>failure(shuttingDown(what));
                    }
                    if (System.currentTimeMillis() >= deadlineMillis) {
                        return Uni.createFrom().<T>failure(deadlineReached(what));
                    }
                    return Uni.createFrom().completionStage(attempt);
                })
                .onFailure().invoke(f -> {
                    last.set(f);
                    if (retryable(f)) {
                        LOG.debugf("%s: %s; retrying", what, Status.fromThrowable(f).getCode());
                    }
                })
                .onFailure(this::retryable).retry().withExecutor(scheduler)
                .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0).expireAt(deadlineMillis)
                .onFailure().transform(f -> retryable(last.get())
                        ? new PartyException(Status.Code.DEADLINE_EXCEEDED, what + ": deadline reached (last: "
                                + Status.fromThrowable(last.get()).getCode() + ")")
                        : last.get() == null ? f : last.get())
                .subscribeAsCompletionStage();
    }

    private static PartyException shuttingDown(String what) {
        return new PartyException(Status.Code.CANCELLED, what + ": party shutting down");
    }

    private static PartyException deadlineReached(String what) {
        return new PartyException(Status.Code.DEADLINE_EXCEEDED, what + ": deadline reached");
    }
}
