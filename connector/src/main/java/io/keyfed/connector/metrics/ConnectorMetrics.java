package io.keyfed.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The connector's Micrometer meters, exported by the Prometheus registry at {@code /q/metrics}. Prometheus
 * appends {@code _total} to counters and {@code _seconds_*} to the timer.
 */
@ApplicationScoped
public class ConnectorMetrics {

    public static final String SEEN = "keyfed_connector_requests_seen";
    public static final String FULFILLED = "keyfed_connector_requests_fulfilled";
    public static final String REJECTED = "keyfed_connector_requests_rejected";
    public static final String RETRIED = "keyfed_connector_requests_retried";
    public static final String DROPPED = "keyfed_connector_requests_dropped";
    public static final String IN_FLIGHT = "keyfed_connector_requests_in_flight";
    public static final String QUEUED = "keyfed_connector_requests_queued";
    public static final String LATENCY = "keyfed_connector_requests_latency";

    private final MeterRegistry registry;
    private final Counter seen;
    private final Counter fulfilled;
    private final Counter rejected;
    private final Counter retried;
    private final Counter dropped;
    private final Timer latency;

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.seen = Counter.builder(SEEN)
                .description("Key request events received from the ledger stream for this keyring")
                .register(registry);
        this.fulfilled = Counter.builder(FULFILLED)
                .description("FULFILLED answers of the party accepted by the ledger")
                .register(registry);
        this.rejected = Counter.builder(REJECTED)
                .description("Requests the party answered REJECTED, or whose answer the ledger or connector refused")
                .register(registry);
        this.retried = Counter.builder(RETRIED)
                .description("Retries of Keygen or FulfilKeyRequest calls after a transient failure")
                .register(registry);
        this.dropped = Counter.builder(DROPPED)
                .description("Requests dropped because the queue was full (picked up again by a replay)")
                .register(registry);
        this.latency = Timer.builder(LATENCY)
                .description("From the request event seen to the party's answer accepted by the ledger")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(registry);
    }

    /** Registers the gauges over the dispatcher's live counts. */
    public void bindQueue(Supplier<Number> inFlight, Supplier<Number> queued) {
        Gauge.builder(IN_FLIGHT, inFlight).description("Requests being forwarded now").register(registry);
        Gauge.builder(QUEUED, queued).description("Requests waiting for a free slot or a rate-limit token")
                .register(registry);
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
