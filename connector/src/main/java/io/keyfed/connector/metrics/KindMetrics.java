package io.keyfed.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The counters and the latency timer of one request kind (key requests or sign requests), named
 * {@code <prefix>_seen}, {@code _fulfilled}, {@code _rejected}, {@code _retried}, {@code _dropped} and
 * {@code _latency}. Prometheus appends {@code _total} to counters and {@code _seconds_*} to the timer.
 */
public final class KindMetrics {

    private final Counter seen;
    private final Counter fulfilled;
    private final Counter rejected;
    private final Counter retried;
    private final Counter dropped;
    private final Timer latency;

    /**
     * @param prefix the meters' common name, e.g. {@code keyfed_connector_requests}
     * @param what the kind in descriptions, e.g. "Key request"
     * @param calls the two calls that are retried, e.g. "Keygen or FulfilKeyRequest"
     */
    KindMetrics(MeterRegistry registry, String prefix, String what, String calls) {
        this.seen = Counter.builder(prefix + "_seen")
                .description(what + " events received from the ledger stream for this keyring")
                .register(registry);
        this.fulfilled = Counter.builder(prefix + "_fulfilled")
                .description("FULFILLED answers of the party accepted by the ledger")
                .register(registry);
        this.rejected = Counter.builder(prefix + "_rejected")
                .description("Requests the party answered REJECTED, or whose answer the ledger or connector refused")
                .register(registry);
        this.retried = Counter.builder(prefix + "_retried")
                .description("Retries of " + calls + " calls after a transient failure")
                .register(registry);
        this.dropped = Counter.builder(prefix + "_dropped")
                .description("Requests dropped because the queue was full (picked up again by a replay)")
                .register(registry);
        this.latency = Timer.builder(prefix + "_latency")
                .description("From the request event seen to the party's answer accepted by the ledger")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(registry);
    }

    public void seen() {
        seen.increment();
    }

    public void fulfilled() {
        fulfilled.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    public void retried() {
        retried.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void latency(Duration elapsed) {
        latency.record(elapsed);
    }

    /** Request events received since start (the counter's value, read without blocking). */
    public long seenCount() {
        return (long) seen.count();
    }

    public long fulfilledCount() {
        return (long) fulfilled.count();
    }

    public long rejectedCount() {
        return (long) rejected.count();
    }

    public long retriedCount() {
        return (long) retried.count();
    }

    public long droppedCount() {
        return (long) dropped.count();
    }
}
