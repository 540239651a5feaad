package io.keyfed.connector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Configuration of one connector, under the prefix {@code keyfed.connector}.
 *
 * <p>The ledger and party endpoints themselves are the standard Quarkus gRPC client keys
 * {@code quarkus.grpc.clients.ledger.host/port} and {@code quarkus.grpc.clients.party.host/port}.
 */
@ConfigMapping(prefix = "keyfed.connector")
public interface ConnectorConfig {

    /** Bech32 address of the keyring whose requests this connector relays. Required, no default. */
    String keyringAddr();

    /**
     * The ledger's chain id, handed to the party with every request. When absent it is fetched
     * once from the ledger with {@code Ledger.GetParams} at start (default: absent, i.e. fetched).
     */
    Optional<String> chainId();

    /**
     * Most {@code Party.Keygen} and {@code Party.Sign} runs (and their ledger broadcasts) in progress at once, both
     * kinds together. Default 16.
     */
    @WithDefault("16")
    int maxInFlight();

    /**
     * Requests handed to the party per second: SmallRye Fault Tolerance's SMOOTH rate limit (a token bucket
     * holding at most one second's worth). 0 = unlimited. Default 50.
     */
    @WithDefault("50")
    int rateLimitPerSecond();

    /**
     * Most requests waiting for a free slot. Beyond it a request is dropped with a WARN; the connector then
     * re-reads every pending request from the ledger once its queue is empty. Default 10000.
     */
    @WithDefault("10000")
    int queueCapacity();

    /**
     * Retry policy for Keygen, Sign, FulfilKeyRequest and FulfilSignatureRequest calls that fail transiently
     * ({@code RetryableStatus}): Mutiny's retry with exponential backoff, never past the request's deadline.
     */
    Retry retry();

    /**
     * Reconnect policy for the WatchKeyRequests and WatchSignRequests streams and for resolving the party's identity
     * at start.
     */
    Watch watch();

    /**
     * How long to keep trying a request that carries no deadline (deadline_unix_ms = 0), counted from when it
     * was seen. The ledger always sets a deadline; this is only a safety net. Default 10m.
     */
    @WithDefault("10m")
    Duration fallbackDeadline();

    /** Timeout of the party probe made by the readiness check. Default 2s. */
    @WithDefault("2s")
    Duration healthProbeTimeout();

    /** Relaying of sign requests (WatchSignRequests, Party.Sign, FulfilSignatureRequest). */
    SignRequests signRequests();

    interface Retry {
        /** First delay after a retryable failure. Default 200ms. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Largest delay between two attempts (the delay doubles from the initial one up to this). Default 5s. */
        @WithDefault("5s")
        Duration maxBackoff();

        /**
         * Random share (0..1) by which each delay varies, within [initial, max], so that retries of many requests
         * spread out (Mutiny's jitter). Default 0.2.
         */
        @WithDefault("0.2")
        double jitter();
    }

    interface SignRequests {
        /**
         * Whether the connector watches the keyring's sign requests and forwards them to its party, next to the key
         * requests. Default true.
         */
        @WithDefault("true")
        boolean enabled();
    }

    interface Watch {
        /** First delay before reconnecting a failed or ended stream. Default 500ms. */
        @WithDefault("500ms")
        Duration reconnectInitialBackoff();

        /** Largest delay between reconnects (doubling from the initial one, jitter 0.2). Default 10s. */
        @WithDefault("10s")
        Duration reconnectMaxBackoff();
    }
}
