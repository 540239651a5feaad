package io.keyfed.party.session;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.ledger.LedgerView;
import io.keyfed.party.ledger.RequestConfirmations;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.store.ResultStore;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.HeldMessages;
import io.keyfed.party.transport.PeerClients;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

/**
 * Sessions keyed by request id. Keygen returns the stored answer when there is one, joins the running
 * session when there is one, and otherwise confirms the request with the ledger ({@link RequestConfirmations})
 * and only then starts a session, from the ledger's copy. Deliver refuses senders that are not configured
 * peers, routes a peer's envelope to its session, holds it (per sender) while the request is not confirmed
 * here, and refuses it once the request is finished. All work runs on the worker executor, never on the
 * caller's (event-loop) thread.
 */
public final class DkgSessionManager {
    private static final Logger LOG = Logger.getLogger(DkgSessionManager.class);
    /** Bound on an envelope payload ({@link EnvelopeHeaders#MAX_PAYLOAD_BYTES}). */
    public static final int MAX_PAYLOAD_BYTES = EnvelopeHeaders.MAX_PAYLOAD_BYTES;

    private final String prefix;
    private final String self;
    private final byte[] selfKey;
    private final HsmToken token;
    private final ResultStore store;
    private final PeerClients clients;
    private final ChannelKeys channelKeys;
    private final HeldMessages held;
    private final StoredShares storedShares;
    private final RequestConfirmations confirmations;
    private final PendingShares pendingShares;
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;
    private final int maxSessions;
    private final int maxHeldMessages;
    private final long maxLifetimeMillis;
    private final PartyMetrics metrics;
    private final Tracer tracer;
    private final Map<Long, KeygenSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong heldDropped = new AtomicLong();
    private final OutboundPackages outbound;
    private final PartyAnswers answers;

    /** A package on its way to {@code recipient}, as {@link OutboundPackages} lets it go (null: withheld). */
    byte[] filterOutbound(String recipient, int kind, byte[] plaintext) {
        return outbound.apply(recipient, kind, plaintext);
    }

    OutboundPackages outbound() {
        return outbound;
    }

    public DkgSessionManager(String prefix, String self, HsmToken token, ResultStore store, PeerClients clients,
            ChannelKeys channelKeys, HeldMessages held, RequestConfirmations confirmations, LedgerReads ledgerReads,
            ExecutorService worker, ScheduledExecutorService scheduler, int maxSessions, int maxHeldMessages,
            long maxLifetimeMillis, PartyMetrics metrics, Tracer tracer, OutboundPackages outbound) {
        this.tracer = tracer;
        this.outbound = java.util.Objects.requireNonNull(outbound, "outbound");
        this.prefix = prefix;
        this.self = self;
        this.selfKey = token.identityPublicKey();
        this.token = token;
        this.answers = new PartyAnswers(token, self);
        this.store = store;
        this.clients = clients;
        this.channelKeys = channelKeys;
        this.held = held;
        this.storedShares = new StoredShares(token, self);
        this.confirmations = confirmations;
        this.worker = worker;
        this.pendingShares = new PendingShares(this, ledgerReads.ledger(), store, worker, ledgerReads.firstBackoff(),
                ledgerReads.maxBackoff(), ledgerReads.callWindowMillis());
        this.scheduler = scheduler;
        this.maxSessions = maxSessions;
        this.maxHeldMessages = maxHeldMessages;
        this.maxLifetimeMillis = maxLifetimeMillis;
        this.metrics = metrics;
    }

    /**
     * How pending shares read their request's status at the ledger: the party's own view of it, the first and
     * longest pause between two reads, and how long one read may retry.
     */
    public record LedgerReads(LedgerView ledger, java.time.Duration firstBackoff, java.time.Duration maxBackoff,
            long callWindowMillis) {
    }

    // ------------------------------------------------------------------ Keygen

    /** The signed answer for a request (stored, joined or newly computed). */
    public CompletableFuture<PartyResponse> keygen(KeygenRequest call) {
        return async(() -> startOrJoin(call));
    }

    /**
     * Validates the call, then: a running session or a stored answer for the request is used as before (both
     * exist only for requests confirmed earlier); otherwise the request is confirmed with the ledger, and the
     * session starts from the ledger's copy. A refused request leaves nothing behind.
     */
    private CompletableFuture<PartyResponse> startOrJoin(KeygenRequest call) {
        SessionSpec hinted = SessionSpec.validate(call, prefix, self, selfKey, System.currentTimeMillis());
        CompletableFuture<PartyResponse> known = existing(hinted, null);
        if (known != null) {
            return known;
        }
        return confirmations.confirm(call).thenCompose(confirmed -> {
            SessionSpec spec = SessionSpec.validate(call.toBuilder().setRequest(confirmed).build(), prefix, self,
                    selfKey, System.currentTimeMillis());
            return existing(spec, call.getTraceparent());
        });
    }

    /**
     * The running session's answer (joined) or the stored answer for {@code spec}'s request; when there is
     * neither, null, or (with {@code startTrace} not null: the request is confirmed) a new session's answer.
     */
    private CompletableFuture<PartyResponse> existing(SessionSpec spec, String startTrace) {
        long id = spec.requestId();
        KeygenSession session = null;
        Optional<StoredResult> stored;
        synchronized (this) {
            session = sessions.get(id);
            if (session != null) {
                if (!session.spec().sessionId().equals(spec.sessionId())) {
                    throw new PartyException(Status.Code.FAILED_PRECONDITION, "request " + spec.requestIdText()
                            + " is already running with other parameters (chain, keyring, key type, parties or"
                            + " threshold differ)");
                }
                LOG.debugf("request %s: joining the running session", spec.requestIdText());
                return session.result();
            }
            stored = store.find(id);
            if (stored.isEmpty()) {
                if (startTrace == null) {
                    return null;
                }
                session = startSession(spec, startTrace);
            }
        }
        if (stored.isPresent()) {
            if (!Arrays.equals(stored.get().sessionId(), spec.sessionId().toBytes())) {
                throw new PartyException(Status.Code.FAILED_PRECONDITION, "request " + spec.requestIdText()
                        + " was already answered for other parameters (chain, keyring, key type, parties or"
                        + " threshold differ)");
            }
            if (stored.get().pending()) {
                // confirmed here, not answered: only the ledger's final status answers it (never a second DKG)
                LOG.debugf("request %s: its share is pending; answering from the ledger's status", spec.requestIdText());
                return pendingShares.answer(stored.get());
            }
            if (stored.get().fulfilled() && !storedShares.open(stored.get()).matches()) {
                throw new PartyException(Status.Code.FAILED_PRECONDITION, "the stored share of request "
                        + spec.requestIdText() + " does not match its verification share; no second key generation"
                        + " is run for it");
            }
            LOG.debugf("request %s: returning the stored answer", spec.requestIdText());
            return CompletableFuture.completedFuture(answers.current(spec, stored.get().response()));
        }
        LOG.debugf("request %s: session started (%s, %d-of-%d, participant %d)", spec.requestIdText(),
                spec.curveName(), spec.threshold(), spec.n(), spec.selfId());
        long now = System.currentTimeMillis();
        long end = session.endMillis();
        KeygenSession s = session;
        scheduler.schedule(() -> runOnWorker(s::expire), Math.max(0, end - now), TimeUnit.MILLISECONDS);
        session.begin(heldFromParticipants(spec));
        return session.result();
    }

    /** The held messages of {@code spec}'s request; those whose sender is outside its snapshot are dropped. */
    private java.util.List<PeerEnvelope> heldFromParticipants(SessionSpec spec) {
        java.util.List<PeerEnvelope> out = new java.util.ArrayList<>();
        for (PeerEnvelope e : held.take(EnvelopeCodec.Protocol.DKG, spec.requestId())) {
            if (spec.isParticipant(e.getSenderAddr()) && !e.getSenderAddr().equals(self)) {
                out.add(e);
            } else {
                heldDropped.incrementAndGet();
                LOG.debugf("request %s: dropped a held message (kind %d) from %s, who is not in the request's"
                        + " snapshot", spec.requestIdText(), e.getKind(),
                        io.keyfed.api.crypto.Addresses.printable(e.getSenderAddr()));
            }
        }
        return out;
    }

    /**
     * Registers a new session for {@code spec}, in a span of the request's trace (continued from the Keygen
     * call's {@code traceparent}); when the session ends, the span ends and the session's outcome is logged.
     * Caller holds this manager's lock.
     */
    private KeygenSession startSession(SessionSpec spec, String traceparent) {
        if (sessions.size() >= maxSessions) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already running " + sessions.size()
                    + " sessions (keyfed.party.max-sessions)");
        }
        clients.requireEndpoints(spec.peers());
        long now = System.currentTimeMillis();
        Span span = TraceContext.orNewTrace(TraceContext.start(tracer, "keyfed.party.session", SpanKind.INTERNAL,
                TraceContext.parent(traceparent), spec.requestId()));
        span.setAttribute(TraceContext.PARTY, self);
        KeygenSession session = new KeygenSession(spec, this,
                Math.min(spec.deadlineMillis(), now + maxLifetimeMillis), TraceContext.traceparent(span));
        session.result().whenComplete((answer, failure) -> SessionOutcome.ended(spec, span, answer, failure));
        sessions.put(spec.requestId(), session);
        started.incrementAndGet();
        metrics.sessionStarted();
        return session;
    }

    // ------------------------------------------------------------------ stored shares

    /** Resolves, from the ledger's status, every pending share found in the database (at start). Non-blocking. */
    public void resumePendingShares() {
        runOnWorker(pendingShares::resumeAll);
    }

    /** The pending shares (public data only), for the admin view; blocking (database and decoding). */
    public java.util.List<PendingShare> pendingShares() {
        return store.pendingShares().stream().map(r -> new PendingShare(r.requestId(), r.participantId(),
                r.keyType(), PendingShares.groupKey(r), r.ledgerPublicKey(),
                pendingShares.isResolving(r.requestId()))).toList();
    }

    /**
     * Opens the stored sealed share of a request inside the token, recomputes s_i·G and compares it with
     * the stored verification share Y_i. NOT_FOUND without a stored result; FAILED_PRECONDITION when the
     * request was rejected (no share) or the sealed blob does not open (tampered, moved, other token).
     * Never returns or logs the share.
     */
    public CompletableFuture<ShareCheck> verifyStoredShare(long requestId) {
        return async(() -> {
            StoredResult r = store.find(requestId).orElseThrow(() -> new PartyException(Status.Code.NOT_FOUND,
                    "no stored result for request " + Long.toUnsignedString(requestId) + " on this party"));
            return CompletableFuture.completedFuture(storedShares.open(r));
        });
    }

    private void runOnWorker(Runnable r) {
        try {
            worker.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("worker pool shut down");
        }
    }

    // ------------------------------------------------------------------ Deliver

    /** Routes one peer envelope; completes when it was accepted (processed, queued or held). */
    public CompletableFuture<Void> deliver(PeerEnvelope e) {
        return async(() -> route(e));
    }

    private CompletableFuture<Void> route(PeerEnvelope e) {
        EnvelopeHeaders.check(e, self, clients);
        KeygenSession session = sessions.get(e.getRequestId());
        if (session == null) {
            // The database is asked outside this manager's lock, which Keygen needs to start a session: an
            // early message must not hold up its own request's start for a round trip. A request's row is
            // committed before its session is removed, so "no session, no row" still means "not started yet"
            // (or, in a race too narrow to matter, finished meanwhile: then the message is held and expires).
            boolean finished = store.contains(e.getRequestId());
            synchronized (this) {
                session = sessions.get(e.getRequestId());
                if (session == null) {
                    if (finished) {
                        throw new PartyException(Status.Code.FAILED_PRECONDITION, "request "
                                + Long.toUnsignedString(e.getRequestId())
                                + " is finished on this party; message refused");
                    }
                    held.hold(e, System.currentTimeMillis());
                    return CompletableFuture.completedFuture(null);
                }
            }
        }
        return session.accept(e);
    }

    // ------------------------------------------------------------------ helpers for sessions

    /** The answer for a pending share once the ledger's status is final ({@link PendingShares#answer}). */
    CompletableFuture<PartyResponse> awaitLedger(StoredResult pending) {
        return pendingShares.answer(pending);
    }

    /** The session of a Keygen call as the ledger holds it, validated as at {@code nowMillis}. */
    SessionSpec specOf(KeygenRequest call, long nowMillis) {
        return SessionSpec.validate(call, prefix, self, selfKey, nowMillis);
    }

    /** Signs this party's answers (and re-signs answers stored before v2). */
    PartyAnswers answers() {
        return answers;
    }

    void remove(KeygenSession s) {
        synchronized (this) {
            sessions.remove(s.spec().requestId(), s);
        }
        held.take(EnvelopeCodec.Protocol.DKG, s.spec().requestId());
    }

    HsmToken token() {
        return token;
    }

    ResultStore store() {
        return store;
    }

    PeerClients clients() {
        return clients;
    }

    ChannelKeys channelKeys() {
        return channelKeys;
    }

    ExecutorService worker() {
        return worker;
    }

    PartyMetrics metrics() {
        return metrics;
    }

    int maxHeldMessages() {
        return maxHeldMessages;
    }

    // ------------------------------------------------------------------ introspection

    /** Sessions running now. */
    public int activeSessions() {
        return sessions.size();
    }

    /** Request ids of the sessions running now (a snapshot). */
    public java.util.Set<Long> runningRequestIds() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    /** Sessions started since this manager was created (stored answers and joins start none). */
    public long sessionsStarted() {
        return started.get();
    }

    /** Held messages dropped at a session's start because their sender was outside the confirmed snapshot. */
    public long heldMessagesDropped() {
        return heldDropped.get();
    }

    /** The phase of a running session (RESOLVING, ROUND1, ECHO, ROUND2, CONFIRM), if one runs. */
    public Optional<String> phase(long requestId) {
        KeygenSession s = sessions.get(requestId);
        return s == null ? Optional.empty() : Optional.of(s.phase());
    }

    /** Fails every running session (shutdown). */
    public void shutdown() {
        pendingShares.close();
        for (KeygenSession s : sessions.values()) {
            s.fail(new PartyException(Status.Code.UNAVAILABLE, "the party is shutting down"));
        }
    }

    private <T> CompletableFuture<T> async(WorkerFutures.Body<T> body) {
        return WorkerFutures.async(worker, body);
    }
}
