package io.keyfed.connector.forward;

import io.keyfed.api.grpc.RetryableStatus;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * Retries one gRPC call while it fails transiently ({@link RetryableStatus}), with Mutiny's exponential backoff
 * ({@code onFailure().retry().withBackOff(initial, max).withJitter(j).expireAt(deadline)}): a retry whose
 * delay would end past the request's deadline is not made. Each attempt is told how many milliseconds remain,
 * to use as its gRPC deadline. Non-blocking: the pause between attempts is a Mutiny timer.
 */
public final class DeadlineRetry {

    private static final Logger LOG = Logger.getLogger(DeadlineRetry.class);

    /** The call stopped for good: a status that is not retried, the deadline, or the connector stopping. */
    public static final class Stopped extends RuntimeException {
        private final String call;
        private final FailureKind kind;
        private final boolean deadlineReached;

        Stopped(String call, FailureKind kind, boolean deadlineReached, Throwable cause) {
            super(call + (deadlineReached ? " gave up at the request's deadline" : " failed: " + describe(cause))
                    + (deadlineReached && cause != null ? " (last: " + describe(cause) + ")" : ""),
                    cause, false, false);
            this.call = call;
            this.kind = kind;
            this.deadlineReached = deadlineReached;
        }

        public String call() {
            return call;
        }

        public FailureKind kind() {
            return kind;
        }

        public boolean deadlineReached() {
            return deadlineReached;
        }
    }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final BooleanSupplier active;

    /**
     * @param active false once the connector is stopping: no further retries are made then
     * @throws IllegalArgumentException naming the problem when the backoff makes no sense
     */
    public DeadlineRetry(Duration initialBackoff, Duration maxBackoff, double jitter, BooleanSupplier active) {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("keyfed.connector.retry.initial-backoff must be positive, got "
                    + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("keyfed.connector.retry.max-backoff (" + maxBackoff
                    + ") must not be below keyfed.connector.retry.initial-backoff (" + initialBackoff + ")");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("keyfed.connector.retry.jitter must be within 0..1, got " + jitter);
        }
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.active = active;
    }

    /**
     * The call, retried. Fails only with {@link Stopped}.
     *
     * @param onRetry runs before each retry (counts it)
     * @param attempt makes one attempt, given the milliseconds left until the deadline
     */
    public <T> Uni<T> call(String name, long requestId, long deadlineMillis, Runnable onRetry,
            LongFunction<Uni<T>> attempt) {
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Throwable> last = new AtomicReference<>();
        return Uni.createFrom().deferred(() -> {
                    long remaining = deadlineMillis - System.currentTimeMillis();
                    if (remaining <= 0) {
                        return Uni.createFrom().<T>failure(new Stopped(name, FailureKind.RETRY, true, last.get()));
                    }
                    int n = attempts.getAndIncrement();
                    if (n > 0) {
                        onRetry.run();
                        LOG.warnf("request %d: %s failed with %s; retry %d (%d ms before the deadline)", requestId,
                                name, describe(last.get()), n, remaining);
                    }
                    return attempt.apply(remaining);
                })
                .onFailure(f -> !(f instanceof Stopped)).invoke(last::set)
                .onFailure(f -> !(f instanceof Stopped) && retryable(f)).retry()
                .withBackOff(initialBackoff, maxBackoff).withJitter(jitter).expireAt(deadlineMillis)
                .onFailure(f -> !(f instanceof Stopped)).transform(f -> stopped(name, last.get()));
    }

    private boolean retryable(Throwable failure) {
        return FailureKind.of(failure) == FailureKind.RETRY && active.getAsBoolean();
    }

    /** Why the retries ended, from the last attempt's failure: not retried, or retried up to the deadline. */
    private Stopped stopped(String name, Throwable lastFailure) {
        FailureKind kind = FailureKind.of(lastFailure);
        boolean deadline = kind == FailureKind.RETRY && active.getAsBoolean();
        return new Stopped(name, kind, deadline, lastFailure);
    }

    static String describe(Throwable failure) {
        return failure == null ? "deadline" : RetryableStatus.describe(failure);
    }
}
