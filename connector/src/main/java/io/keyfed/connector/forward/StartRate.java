package io.keyfed.connector.forward;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.faulttolerance.api.RateLimitType;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * How fast the connector starts requests ({@code keyfed.connector.rate-limit-per-second}): SmallRye Fault
 * Tolerance's {@link RateLimitType#SMOOTH} rate limit, a token bucket that refills at the rate and holds at
 * most one second's worth, so a burst after a quiet second is at most the rate. A start it refuses waits for
 * the limit's own {@link RateLimitException#getRetryAfterMillis() retry-after} and asks again. 0 = unlimited.
 */
public final class StartRate {

    private StartRate() {
    }

    /**
     * @throws IllegalArgumentException naming the setting when the rate is negative
     */
    public static BoundedDispatcher.StartPermit perSecond(int rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("keyfed.connector.rate-limit-per-second must not be negative (0 ="
                    + " unlimited), got " + rate);
        }
        if (rate == 0) {
            return () -> 0;
        }
        Guard limit = Guard.create().withDescription("keyfed.connector.rate-limit-per-second")
                .withRateLimit().limit(rate).window(1, ChronoUnit.SECONDS).type(RateLimitType.SMOOTH).done()
                .build();
        return () -> {
            try {
                limit.get(() -> Boolean.TRUE, Boolean.class);
                return 0;
            } catch (RateLimitException e) {
                return TimeUnit.MILLISECONDS.toNanos(Math.max(1, e.getRetryAfterMillis()));
            }
        };
    }
}
