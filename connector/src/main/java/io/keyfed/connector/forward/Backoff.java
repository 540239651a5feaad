package io.keyfed.connector.forward;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff: {@code initial * 2^attempt}, capped at {@code max}, minus a random share of at most
 * {@code jitter} of it. Pure and thread-safe.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final double jitter;

    public Backoff(Duration initial, Duration max, double jitter) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff must not be below the initial backoff");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1");
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
    }

    /** Delay before retry number {@code attempt} (0 for the first retry), without jitter. */
    public long baseDelayMillis(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative");
        }
        long delay = initialMillis;
        for (int i = 0; i < attempt && delay < maxMillis; i++) {
            delay = delay > maxMillis / 2 ? maxMillis : delay * 2;
        }
        return Math.min(delay, maxMillis);
    }

    /** Delay with jitter; {@code random} yields values in [0, 1). */
    public long delayMillis(int attempt, DoubleSupplier random) {
        long base = baseDelayMillis(attempt);
        long off = (long) (base * jitter * random.getAsDouble());
        return Math.max(1, base - off);
    }
}
