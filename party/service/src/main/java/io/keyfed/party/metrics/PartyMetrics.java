package io.keyfed.party.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.keyfed.party.hsm.HsmOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The party's Micrometer meters, exported by the Prometheus registry at {@code /q/metrics} (see the "Metrics"
 * section of party/service/README.md). Meters with a fixed tag set are registered up front; only an abort, which
 * names its culprit, looks its counter up (the counters of each check with culprit {@code none} exist from the
 * start, at 0). The protocol tag is {@code dkg} for now: signing sessions will add
 * their own. The sessions are plain classes built by
 * {@link io.keyfed.party.session.PartyNode}: they get this object through their constructors; tests that run
 * parties inside one JVM give each its own {@link #detached()} instance.
 */
@Singleton
public class PartyMetrics implements HsmOperation.Listener {
    public static final String SESSIONS = "keyfed_party_sessions";
    public static final String SESSIONS_ACTIVE = "keyfed_party_sessions_active";
    public static final String ROUND_DURATION = "keyfed_party_round_duration";
    public static final String ABORTS = "keyfed_party_aborts";
    public static final String HSM_DURATION = "keyfed_party_hsm_operation_duration";
    public static final String SEALED_SHARES = "keyfed_party_sealed_shares";
    /** Exported as {@code keyfed_party_ledger_confirm_seconds} (Prometheus adds the unit). */
    public static final String LEDGER_CONFIRM = "keyfed_party_ledger_confirm";

    /** The protocol tag of distributed key generation. */
    public static final String DKG = "dkg";
    /** The protocol tag of FROST signing. */
    public static final String FROST = "frost";
    /** The protocol tag of DKLs23 (ECDSA) signing. */
    public static final String DKLS = "dkls23";
    /** The attempt (from 0) in which a signing session got its signatures. */
    public static final String SIGN_ATTEMPT = "keyfed_party_sign_attempt";
    /** Faults a signing session pinned on a peer, by check and culprit. */
    public static final String SIGN_FAULTS = "keyfed_party_sign_faults";

    /** How a session ended (tag {@code outcome} of {@link #SESSIONS}). */
    public enum Outcome {
        /** Answered FULFILLED: every peer confirmed, the share is active. */
        FULFILLED,
        /** Answered REJECTED: the run aborted, naming a culprit where there is one. */
        REJECTED,
        /** Ended without an answer at the request's deadline or the session lifetime. */
        EXPIRED,
        /** Ended without an answer otherwise (a peer unreachable, the result not stored, shutdown). */
        FAILED,
        /**
         * Ended after this party sent its CONFIRM, without every peer's matching CONFIRM (the deadline, a
         * complaint or a different CONFIRM): the share stays pending and the answer follows the ledger's status.
         */
        PENDING;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** How confirming a Keygen call with the ledger ended (tag {@code outcome} of {@link #LEDGER_CONFIRM}). */
    public enum Confirm {
        /** The ledger knows the request as called, PENDING or PARTIAL: a session may start. */
        CONFIRMED,
        /** The ledger does not know the request, knows it differently, or it is final: refused. */
        REFUSED,
        /** The ledger could not be asked in time, or too many confirmations were in flight. */
        FAILED;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The rounds of a DKG session, in order (tag {@code round} of {@link #ROUND_DURATION}). */
    public static final Set<String> DKG_ROUNDS = Set.of("resolve", "round1", "echo", "round2", "confirm");

    /**
     * The checks an abort can name (the DKG engine's and key confirmation's). A complaint from a peer carries its
     * check as text; anything else is counted as {@code other}, so a peer cannot grow the tag set.
     */
    static final Set<String> CHECKS = Set.of("invalid_commitment_count", "invalid_point", "identity_commitment",
            "invalid_proof", "invalid_share", "invalid_scalar", "equivocation", "false_echo", "invalid_signature",
            "duplicate_sender", "unknown_sender",
            "sender_mismatch", "reflected_package", "misaddressed", "session_mismatch", "missing_package",
            "malformed_message", "oversized_message", "inconsistent_result", "confirm_mismatch",
            "false_complaint");

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> dkgSessions = new EnumMap<>(Outcome.class);
    private final AtomicInteger dkgActive = new AtomicInteger();
    private final Map<String, Timer> dkgRounds = new HashMap<>();
    private final Map<HsmOperation, Timer> hsm = new EnumMap<>(HsmOperation.class);
    private final Map<Confirm, Timer> ledgerConfirms = new EnumMap<>(Confirm.class);
    private final AtomicInteger frostActive = new AtomicInteger();
    private final AtomicInteger dklsActive = new AtomicInteger();
    private final AtomicLong sealedAtStart = new AtomicLong(-1);
    private final AtomicLong sealedSinceStart = new AtomicLong();

    public PartyMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome o : Outcome.values()) {
            dkgSessions.put(o, Counter.builder(SESSIONS).tag("protocol", DKG).tag("outcome", o.tag)
                    .description("Sessions this party ran to their end, by protocol and outcome").register(registry));
        }
        Gauge.builder(SESSIONS_ACTIVE, dkgActive, AtomicInteger::get).tag("protocol", DKG)
                .description("Sessions running now").register(registry);
        Gauge.builder(SESSIONS_ACTIVE, frostActive, AtomicInteger::get).tag("protocol", FROST)
                .description("Sessions running now").register(registry);
        Gauge.builder(SESSIONS_ACTIVE, dklsActive, AtomicInteger::get).tag("protocol", DKLS)
                .description("Sessions running now").register(registry);
        for (Outcome o : new Outcome[] { Outcome.FULFILLED, Outcome.REJECTED, Outcome.FAILED }) {
            signSessions(FROST, o);
            signSessions(DKLS, o);
        }
        for (String round : DKG_ROUNDS) {
            dkgRounds.put(round, Timer.builder(ROUND_DURATION).tag("protocol", DKG).tag("round", round)
                    .description("Time a session spent in a round, from entering it until it moved on")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(5)).register(registry));
        }
        for (HsmOperation op : HsmOperation.values()) {
            hsm.put(op, Timer.builder(HSM_DURATION).tag("operation", op.tag)
                    .description("Duration of one call into the PKCS#11 token, by operation")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(10)).register(registry));
        }
        for (Confirm c : Confirm.values()) {
            ledgerConfirms.put(c, Timer.builder(LEDGER_CONFIRM).tag("outcome", c.tag)
                    .description("Time to confirm one Keygen call with the ledger (GetKeyRequest) before a session")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                    .maximumExpectedValue(Duration.ofSeconds(30)).register(registry));
        }
        // Every check with culprit "none", so that the series exist (at 0) before the first abort.
        for (String check : CHECKS) {
            abortCounter(check, null);
        }
        abortCounter("other", null);
        Gauge.builder(SEALED_SHARES, this, PartyMetrics::sealedShares)
                .description("Sealed key shares in the party's database, pending, active or retired (NaN until counted"
                        + " at start)")
                .register(registry);
    }

    /** Meters of their own, exported nowhere: for parties built outside the service (tests, tools). */
    public static PartyMetrics detached() {
        return new PartyMetrics(new SimpleMeterRegistry());
    }

    /** The registry the meters are in (tests read it). */
    public MeterRegistry registry() {
        return registry;
    }

    /** A DKG session started (stored answers and joins start none). */
    public void sessionStarted() {
        dkgActive.incrementAndGet();
    }

    /** A DKG session ended. */
    public void sessionEnded(Outcome outcome) {
        dkgActive.decrementAndGet();
        dkgSessions.get(outcome).increment();
    }

    /** A DKG session left {@code round} (one of {@link #DKG_ROUNDS}) after {@code nanos} in it. */
    public void round(String round, long nanos) {
        Timer t = dkgRounds.get(round);
        if (t != null) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A DKG session aborted on a failed {@code check}, blaming {@code culprit} (an address of the session's
     * parties, so of the keyring's: a bounded set; null when no single party is to blame).
     */
    public void aborted(String check, String culprit) {
        abortCounter(CHECKS.contains(check) ? check : "other", culprit).increment();
    }

    private Counter abortCounter(String check, String culprit) {
        return Counter.builder(ABORTS).tag("protocol", DKG).tag("check", check)
                .tag("culprit", culprit == null ? "none" : culprit)
                .description("Aborted sessions by failed check and blamed party").register(registry);
    }

    /** A FROST signing session started. */
    public void signSessionStarted() {
        signSessionStarted(FROST);
    }

    /** A FROST signing session ended: FULFILLED, REJECTED (its deadline) or FAILED (without an answer). */
    public void signSessionEnded(Outcome outcome) {
        signSessionEnded(FROST, outcome);
    }

    /** A signing session of {@code protocol} ({@link #FROST} or {@link #DKLS}) started. */
    public void signSessionStarted(String protocol) {
        (DKLS.equals(protocol) ? dklsActive : frostActive).incrementAndGet();
    }

    /** A signing session of {@code protocol} ended: FULFILLED, REJECTED (its deadline) or FAILED (no answer). */
    public void signSessionEnded(String protocol, Outcome outcome) {
        (DKLS.equals(protocol) ? dklsActive : frostActive).decrementAndGet();
        signSessions(DKLS.equals(protocol) ? DKLS : FROST, outcome).increment();
    }

    /** A signing session got its signatures in attempt {@code attempt} (0 = the first). */
    public void signedInAttempt(int attempt) {
        io.micrometer.core.instrument.DistributionSummary.builder(SIGN_ATTEMPT)
                .description("The attempt (from 0) in which a signing session got its signatures").register(registry)
                .record(attempt);
    }

    private Counter signSessions(String protocol, Outcome o) {
        return Counter.builder(SESSIONS).tag("protocol", protocol).tag("outcome", o.tag)
                .description("Sessions this party ran to their end, by protocol and outcome").register(registry);
    }

    /**
     * A signing session pinned a fault on {@code culprit} (a snapshot party: a bounded set) for {@code check}
     * (one of the signing checks, or "other").
     */
    public void signFault(String check, String culprit) {
        Counter.builder(SIGN_FAULTS).tag("check", SIGN_CHECKS.contains(check) ? check : "other").tag("culprit", culprit)
                .description("Faults signing sessions pinned on a peer, by check and culprit").register(registry)
                .increment();
    }

    /** The checks a signing fault can name (tag {@code check} of {@link #SIGN_FAULTS}). */
    static final Set<String> SIGN_CHECKS = Set.of("invalid_share", "malformed_share", "missing_share",
            "unexpected_share", "malformed_message", "commit_to_non_coordinator", "package_from_non_coordinator",
            "malformed_package", "package_for_other_messages", "too_few_signers", "own_commitment_missing",
            "own_commitment_changed", "not_sorted_or_distinct", "unknown_signer", "invalid_commitment",
            "equivocating_package", "invalid_result", "ready_to_non_coordinator", "plan_from_non_coordinator",
            "malformed_plan", "plan_for_other_messages", "own_contribution_changed", "not_a_signer",
            "equivocating_plan", "other_plan", "multiplication_check", "ot_consistency_check", "gamma_check",
            "setup_unusable", "bad_commitment_opening", "missing_or_unexpected_message");

    /** Confirming one Keygen call with the ledger ended with {@code outcome} after {@code nanos}. */
    public void ledgerConfirm(Confirm outcome, long nanos) {
        ledgerConfirms.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void completed(HsmOperation operation, long nanos) {
        hsm.get(operation).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The count of sealed shares stored before this process started (read once at start). */
    public void sealedSharesAtStart(long count) {
        sealedAtStart.set(count);
    }

    /** A new sealed share was stored (pending, before its CONFIRM is sent). */
    public void shareStored() {
        sealedSinceStart.incrementAndGet();
    }

    double sealedShares() {
        long base = sealedAtStart.get();
        return base < 0 ? Double.NaN : base + sealedSinceStart.get();
    }
}
