package io.keyfed.connector.forward;

/**
 * Token bucket limiting how many requests are started per second. It holds at most one second's worth of
 * tokens (so a burst after a quiet period is at most {@code permitsPerSecond}) and starts full.
 * A rate of 0 means unlimited. Time is passed in by the caller (nanoseconds, monotonic), so it is pure.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int permitsPerSecond;
    private final long nanosPerToken;
    private double tokens;
    private long lastRefill;
    private boolean initialised;

    public TokenBucket(int permitsPerSecond) {
        if (permitsPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        this.permitsPerSecond = permitsPerSecond;
        this.nanosPerToken = permitsPerSecond == 0 ? 0 : Math.max(1, NANOS_PER_SECOND / permitsPerSecond);
        this.tokens = permitsPerSecond;
    }

    public boolean unlimited() {
        return permitsPerSecond == 0;
    }

    /**
     * Takes one token if there is one.
     *
     * @return 0 when a token was taken, otherwise the nanoseconds until the next token is available
     */
    public synchronized long tryAcquire(long nowNanos) {
        if (unlimited()) {
            return 0;
        }
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
    }

    /** Tokens available now (for tests and diagnostics). */
    public synchronized double available(long nowNanos) {
        if (unlimited()) {
            return Double.POSITIVE_INFINITY;
        }
        refill(nowNanos);
        return tokens;
    }

    private void refill(long nowNanos) {
        if (!initialised) {
            initialised = true;
            lastRefill = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        tokens = Math.min(permitsPerSecond, tokens + (double) elapsed / nanosPerToken);
        lastRefill = nowNanos;
    }
}
