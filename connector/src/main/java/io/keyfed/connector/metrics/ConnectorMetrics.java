package io.keyfed.connector.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The connector's Micrometer meters, exported by the Prometheus registry at {@code /q/metrics}: one
 * {@link KindMetrics} set for key requests ({@code keyfed_connector_requests_*}) and one for sign requests
 * ({@code keyfed_connector_sign_requests_*}), and the dispatcher's gauges shared by both. The methods without a
 * kind are the key requests' ones.
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

    public static final String SIGN_SEEN = "keyfed_connector_sign_requests_seen";
    public static final String SIGN_FULFILLED = "keyfed_connector_sign_requests_fulfilled";
    public static final String SIGN_REJECTED = "keyfed_connector_sign_requests_rejected";
    public static final String SIGN_RETRIED = "keyfed_connector_sign_requests_retried";
    public static final String SIGN_DROPPED = "keyfed_connector_sign_requests_dropped";
    public static final String SIGN_LATENCY = "keyfed_connector_sign_requests_latency";

    private final MeterRegistry registry;
    private final KindMetrics keys;
    private final KindMetrics signs;

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.keys = new KindMetrics(registry, "keyfed_connector_requests", "Key request",
                "Keygen or FulfilKeyRequest");
        this.signs = new KindMetrics(registry, "keyfed_connector_sign_requests", "Sign request",
                "Sign or FulfilSignatureRequest");
    }

    /** The key requests' meters. */
    public KindMetrics keys() {
        return keys;
    }

    /** The sign requests' meters. */
    public KindMetrics signs() {
        return signs;
    }

    /** Registers the gauges over the dispatcher's live counts (key and sign requests together). */
    public void bindQueue(Supplier<Number> inFlight, Supplier<Number> queued) {
        Gauge.builder(IN_FLIGHT, inFlight).description("Requests being forwarded now (key and sign requests)")
                .register(registry);
        Gauge.builder(QUEUED, queued)
                .description("Requests waiting for a free slot or a rate-limit token (key and sign requests)")
                .register(registry);
    }

    public void seen() {
        keys.seen();
    }

    public void fulfilled() {
        keys.fulfilled();
    }

    public void rejected() {
        keys.rejected();
    }

    public void retried() {
        keys.retried();
    }

    public void dropped() {
        keys.dropped();
    }

    public void latency(Duration elapsed) {
        keys.latency(elapsed);
    }

    /** Key request events received since start (the counter's value, read without blocking). */
    public long seenCount() {
        return keys.seenCount();
    }

    public long fulfilledCount() {
        return keys.fulfilledCount();
    }

    public long rejectedCount() {
        return keys.rejectedCount();
    }

    public long retriedCount() {
        return keys.retriedCount();
    }

    public long droppedCount() {
        return keys.droppedCount();
    }
}
