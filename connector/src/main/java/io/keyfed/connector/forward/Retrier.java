package io.keyfed.connector.forward;

import io.grpc.Status;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Retries one gRPC call with exponential backoff while it fails transiently, until the request's deadline.
 * Each attempt is told how many milliseconds remain, to use as its gRPC deadline. Non-blocking: the pause
 * between attempts is a Mutiny delay.
 */
public final class Retrier {

    private static final Logger LOG = Logger.getLogger(Retrier.class);

    /** The call stopped for good: a non-retryable status, or the deadline. */
    public static final class Stopped extends RuntimeException {
        private final String call;
        private final FailureKind kind;
        private final boolean deadlineReached;

        Stopped(String call, FailureKind kind, boolean deadlineReached, Throwable cause) {
            super(call + (deadlineReached ? " gave up at the request's deadline" : " failed: " + describe(cause)),
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

    private final Backoff backoff;
    private final ConnectorMetrics metrics;
    private final LongSupplier clockMillis;
    private final BooleanSupplier active;

    /**
     * @param active false once the connector is stopping: no further retries are made then
     */
    public Retrier(Backoff backoff, ConnectorMetrics metrics, LongSupplier clockMillis, BooleanSupplier active) {
        this.backoff = backoff;
        this.metrics = metrics;
        this.clockMillis = clockMillis;
        this.active = active;
    }

    public <T> Uni<T> call(String name, long requestId, long deadlineMillis, LongFunction<Uni<T>> attempt) {
        return attempt(name, requestId, deadlineMillis, attempt, 0);
    }

    private <T> Uni<T> attempt(String name, long requestId, long deadlineMillis, LongFunction<Uni<T>> call, int n) {
        long remaining = deadlineMillis - clockMillis.getAsLong();
        if (remaining <= 0) {
            return Uni.createFrom().failure(new Stopped(name, FailureKind.RETRY, true, null));
        }
        return Uni.createFrom().deferred(() -> call.apply(remaining))
                .onFailure(f -> !(f instanceof Stopped)).recoverWithUni(failure -> {
                    FailureKind kind = FailureKind.of(failure);
                    if (kind != FailureKind.RETRY || !active.getAsBoolean()) {
                        return Uni.createFrom().failure(new Stopped(name, kind, false, failure));
                    }
                    long delay = backoff.delayMillis(n, () -> ThreadLocalRandom.current().nextDouble());
                    long left = deadlineMillis - clockMillis.getAsLong();
                    if (left <= delay) {
                        return Uni.createFrom().failure(new Stopped(name, kind, true, failure));
                    }
                    metrics.retried();
                    LOG.warnf("request %d: %s failed with %s; retry %d in %d ms", requestId, name,
                            describe(failure), n + 1, delay);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delay))
                            .onItem().transformToUni(v -> attempt(name, requestId, deadlineMillis, call, n + 1));
                });
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "deadline";
        }
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name()
                : status.getCode() + " (" + status.getDescription() + ")";
    }
}
