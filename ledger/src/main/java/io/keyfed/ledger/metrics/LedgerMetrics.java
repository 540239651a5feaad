package io.keyfed.ledger.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.ledger.config.LedgerConfig;
import io.keyfed.ledger.service.GenesisService;
import io.keyfed.ledger.service.LedgerException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The ledger's Micrometer meters, exported by the Prometheus registry at {@code /q/metrics} (see the "Metrics"
 * section of ledger/README.md). Every meter with a bounded tag set is registered up front, so recording is a
 * map read and an add. Nothing here blocks: the escrow balance is a cached value, read again from the
 * database asynchronously after escrow moved ({@link EscrowBalance}), and a request's creation time is kept in
 * memory until it is final, or else read back asynchronously ({@link OpenRequests}).
 */
@Singleton
public class LedgerMetrics {
    public static final String REQUESTS_SUBMITTED = "keyfed_ledger_key_requests_submitted";
    public static final String REQUESTS_FINISHED = "keyfed_ledger_key_requests_finished";
    public static final String REQUEST_DURATION = "keyfed_ledger_key_request_duration";
    public static final String ANSWERS = "keyfed_ledger_party_answers";
    public static final String BATCH_SIZE = "keyfed_ledger_commit_batch_size";
    public static final String WATCH_SUBSCRIBERS = "keyfed_ledger_watch_subscribers";
    public static final String ESCROW_BALANCE = "keyfed_ledger_escrow_balance";
    public static final String SIGN_REQUESTS_SUBMITTED = "keyfed_ledger_sign_requests_submitted";
    public static final String SIGN_REQUESTS_FINISHED = "keyfed_ledger_sign_requests_finished";

    /** Why the ledger refused a party's answer (tag {@code reason} of {@link #ANSWERS}). */
    public enum Refusal {
        /** The request is already FULFILLED or REJECTED (routine with t of n: the late answers). */
        ALREADY_FINAL("already_final"),
        /** Not a party of the request, or the signature does not verify. */
        NOT_AUTHORISED("not_authorised"),
        /** No such request. */
        UNKNOWN_REQUEST("unknown_request"),
        /** A malformed answer (fields, key encoding). */
        INVALID("invalid"),
        /** Anything else (a database failure). */
        ERROR("error");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        static Refusal of(Throwable t) {
            if (t instanceof LedgerException e) {
                return switch (e.code()) {
                    case FAILED_PRECONDITION -> ALREADY_FINAL;
                    case PERMISSION_DENIED -> NOT_AUTHORISED;
                    case NOT_FOUND -> UNKNOWN_REQUEST;
                    case INVALID_ARGUMENT, OUT_OF_RANGE -> INVALID;
                };
            }
            return ERROR;
        }
    }

    private static final KeyType[] TYPES = { KeyType.KEY_TYPE_ECDSA_SECP256K1, KeyType.KEY_TYPE_EDDSA_ED25519,
            KeyType.KEY_TYPE_BITCOIN_SECP256K1, KeyType.KEY_TYPE_BITCOIN_TAPROOT };

    private final Map<KeyType, Counter> submitted = new EnumMap<>(KeyType.class);
    private final Map<KeyType, Counter> fulfilled = new EnumMap<>(KeyType.class);
    private final Map<KeyType, Counter> rejected = new EnumMap<>(KeyType.class);
    private final Map<KeyType, Timer> fulfilledDuration = new EnumMap<>(KeyType.class);
    private final Map<KeyType, Timer> rejectedDuration = new EnumMap<>(KeyType.class);
    private final Counter accepted;
    private final Counter duplicate;
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final DistributionSummary batchSize;
    private final AtomicInteger watchSubscribers = new AtomicInteger();
    private final Counter signSubmitted;
    private final Counter signFulfilled;
    private final Counter signRejected;

    private final OpenRequests openTimes;
    private final EscrowBalance escrow;

    public LedgerMetrics(MeterRegistry registry, LedgerConfig config, Pool pool, GenesisService genesis) {
        openTimes = new OpenRequests(pool, () -> genesis.params().maxTimeoutSeconds());
        escrow = new EscrowBalance(pool, () -> genesis.params().escrowAddress());
        for (KeyType t : TYPES) {
            String type = typeTag(t);
            submitted.put(t, Counter.builder(REQUESTS_SUBMITTED).tag("type", type)
                    .description("Key requests created (fee escrowed), by key type").register(registry));
            fulfilled.put(t, finished(registry, type, "fulfilled"));
            rejected.put(t, finished(registry, type, "rejected"));
            fulfilledDuration.put(t, duration(registry, type, "fulfilled"));
            rejectedDuration.put(t, duration(registry, type, "rejected"));
        }
        accepted = answers(registry, "accepted", "none");
        duplicate = answers(registry, "duplicate", "none");
        for (Refusal r : Refusal.values()) {
            refused.put(r, answers(registry, "refused", r.tag));
        }
        batchSize = DistributionSummary.builder(BATCH_SIZE)
                .description("State changes applied per database commit (group commit)")
                .publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue((double) Math.max(2, config.commitBatchSize())).register(registry);
        Gauge.builder(WATCH_SUBSCRIBERS, watchSubscribers, AtomicInteger::get)
                .description("WatchKeyRequests streams open now").register(registry);
        Gauge.builder(ESCROW_BALANCE, escrow, EscrowBalance::value)
                .description("Balance of the escrow address in urock: the fees of the key and sign requests still open")
                .register(registry);
        signSubmitted = Counter.builder(SIGN_REQUESTS_SUBMITTED)
                .description("Sign requests created (fee escrowed)").register(registry);
        signFulfilled = signFinished(registry, "fulfilled");
        signRejected = signFinished(registry, "rejected");
    }

    private static Counter finished(MeterRegistry registry, String type, String status) {
        return Counter.builder(REQUESTS_FINISHED).tag("type", type).tag("status", status)
                .description("Key requests that reached a final status, by key type and status").register(registry);
    }

    private static Counter signFinished(MeterRegistry registry, String status) {
        return Counter.builder(SIGN_REQUESTS_FINISHED).tag("status", status)
                .description("Sign requests that reached a final status, by status").register(registry);
    }

    private static Timer duration(MeterRegistry registry, String type, String status) {
        return Timer.builder(REQUEST_DURATION).tag("type", type).tag("status", status)
                .description("From a key request's creation to its final status (ledger log times)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofMinutes(30)).register(registry);
    }

    private static Counter answers(MeterRegistry registry, String outcome, String reason) {
        return Counter.builder(ANSWERS).tag("outcome", outcome).tag("reason", reason)
                .description("Party answers (FulfilKeyRequest) by outcome, and refusals by reason").register(registry);
    }

    /** {@code KEY_TYPE_ECDSA_SECP256K1} → {@code ecdsa_secp256k1}. */
    static String typeTag(KeyType t) {
        return t.name().substring("KEY_TYPE_".length()).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A key request was committed at {@code nowMs} (its log time): counts it, remembers when (for the duration
     * to its final status) and refreshes the escrow balance.
     */
    public void submitted(long id, KeyType type, long nowMs) {
        Counter c = submitted.get(type);
        if (c != null) {
            c.increment();
        }
        openTimes.opened(id, nowMs);
        escrow.refresh();
    }

    /**
     * A key request's final status was committed at about {@code nowMs}: counts it, records the time since its
     * creation (possibly later, when that time must be read back) and refreshes the escrow balance.
     */
    public void finished(KeyRequest req, long nowMs) {
        boolean ok = req.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
        Counter c = (ok ? fulfilled : rejected).get(req.getKeyType());
        if (c != null) {
            c.increment();
        }
        Timer t = (ok ? fulfilledDuration : rejectedDuration).get(req.getKeyType());
        if (t != null) {
            openTimes.finished(req.getId(), req.getCreatedHeight(), openedMs -> t.record(
                    Duration.ofMillis(Math.max(0, nowMs - openedMs))));
        }
        escrow.refresh();
    }

    /** A sign request was committed (its fee escrowed): counts it and refreshes the escrow balance. */
    public void signSubmitted() {
        signSubmitted.increment();
        escrow.refresh();
    }

    /** A sign request's final status was committed (its fee released or refunded). */
    public void signFinished(SignRequest req) {
        (req.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED ? signFulfilled : signRejected).increment();
        escrow.refresh();
    }

    /** Reads the escrow balance again now and then, for the escrow movements of other ledger replicas. */
    @Scheduled(every = "${keyfed.ledger.escrow-refresh-interval:15s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshEscrow() {
        escrow.refresh();
    }

    /** A party's answer was applied (partial, fulfilled, or rejecting the request). */
    public void answerAccepted() {
        accepted.increment();
    }

    /** The very same answer again from a party (a connector's retry): a no-op. */
    public void answerDuplicate() {
        duplicate.increment();
    }

    /** A party's answer was refused and changed nothing. */
    public void answerRefused(Throwable why) {
        refused.get(Refusal.of(why)).increment();
    }

    /** One database commit of the sequencer applied {@code changes} state changes. */
    public void committed(int changes) {
        batchSize.record(changes);
    }

    public void watchOpened() {
        watchSubscribers.incrementAndGet();
    }

    public void watchClosed() {
        watchSubscribers.decrementAndGet();
    }
}
