package io.keyfed.party.signing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.frost.Frost;
import io.keyfed.party.frost.FrostAbort;
import io.keyfed.party.frost.KeyPackage;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.pairing.PairSetups;
import io.keyfed.party.session.OpenedShare;
import io.keyfed.party.session.OutboundPackages;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.StoredShares;
import io.keyfed.party.session.WorkerFutures;
import io.keyfed.party.store.ResultStore;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.store.StoredSignAnswer;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.HeldMessages;
import io.keyfed.party.transport.PeerClients;

/**
 * Signing sessions keyed by sign-request id, on the session runtime the DKG uses (peer clients and channel keys,
 * held messages, envelope admission, the worker and timer threads, the result store). Sign returns the stored
 * answer when there is one, joins the running session when there is one, and otherwise confirms the request with
 * the ledger ({@link SignConfirmations}) and only then starts a session, from the ledger's copy. An answer that
 * needs no session (no share for the key) is signed and stored at once. Deliver routes a peer's signing envelope
 * to its session, holds it while the request is not confirmed here, and refuses it once the request is answered.
 */
public final class SignSessionManager {
    private static final Logger LOG = Logger.getLogger(SignSessionManager.class);

    /** What the manager is built from: the node's runtime parts (with its pairwise setups, for DKLs23). */
    public record Runtime(String prefix, String self, HsmToken token, ResultStore store, PeerClients clients,
            ChannelKeys channelKeys, HeldMessages held, io.keyfed.party.ledger.LedgerView ledger,
            ExecutorService worker, ScheduledExecutorService scheduler, OutboundPackages outbound,
            PartyMetrics metrics, PairSetups pairSetups) {
    }

    /** Limits: sessions at once, queued early messages per session, session lifetime, attempt time, ledger wait. */
    public record Limits(int maxSessions, int maxEarlyMessages, long maxLifetimeMillis, long attemptTimeoutMillis,
            long confirmTimeoutMillis, int maxFaults) {
    }

    private final Runtime rt;
    private final Limits limits;
    private final byte[] selfKey;
    private final SignAnswers answers;
    private final StoredShares shares;
    private final SignConfirmations confirmations;
    private final SigningFaults faults;
    private final Map<Long, SigningSession> sessions = new ConcurrentHashMap<>();

    public SignSessionManager(Runtime rt, Limits limits) {
        this.rt = rt;
        this.limits = limits;
        this.selfKey = rt.token().identityPublicKey();
        this.answers = new SignAnswers(rt.token(), rt.self());
        this.shares = new StoredShares(rt.token(), rt.self());
        this.confirmations = new SignConfirmations(rt.ledger(), limits.confirmTimeoutMillis(), rt.worker());
        this.faults = new SigningFaults(limits.maxFaults());
    }

    // ------------------------------------------------------------------ Sign

    /** The signed answer for a sign request (stored, joined or newly computed). */
    public CompletableFuture<PartySignResponse> sign(SigningCall call) {
        return async(() -> {
            if (!call.hasRequest() || call.getRequest().getId() == 0) {
                throw PartyException.invalid("request is missing or has no id");
            }
            if (call.getChainId().isEmpty()) {
                throw PartyException.invalid("chain_id must not be empty");
            }
            return confirmations.confirm(call).thenCompose(c -> startOrJoin(c, call.getTraceparent()));
        });
    }

    private CompletableFuture<PartySignResponse> startOrJoin(SignConfirmations.Confirmed c, String traceparent) {
        SignSpec spec = SignSpec.of(c.chainId(), c.request(), rt.prefix(), rt.self(), selfKey);
        long id = spec.requestId();
        synchronized (this) {
            SigningSession running = sessions.get(id);
            if (running != null) {
                return running.result();
            }
            Optional<StoredSignAnswer> stored = rt.store().findSignAnswer(id);
            if (stored.isPresent()) {
                if (!Arrays.equals(stored.get().sessionId(), spec.sessionIdBytes())) {
                    throw new PartyException(Status.Code.FAILED_PRECONDITION, "sign request " + spec.requestIdText()
                            + " was already answered for another session");
                }
                return CompletableFuture.completedFuture(stored.get().response());
            }
            if (sessions.size() >= limits.maxSessions()) {
                throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already running " + sessions.size()
                        + " signing sessions (keyfed.party.max-sessions)");
            }
            Optional<StoredResult> keyShare = rt.store().find(spec.keyId());
            String noShare = shareProblem(spec, keyShare);
            if (noShare != null) {
                LOG.warnf("sign request %s: REJECTED: %s", spec.requestIdText(), noShare);
                return CompletableFuture.completedFuture(store(spec, answers.rejected(spec, noShare)));
            }
            if (!spec.packageFits()) {
                String why = spec.ecdsa() ? "the DKLs23 round messages for " + spec.messages().size()
                        + " digests do not fit in one signing envelope; sign fewer digests per request"
                        : spec.threshold() + " signers' commitments for " + spec.messages().size()
                        + " messages do not fit in one signing package";
                return CompletableFuture.completedFuture(store(spec, answers.rejected(spec, why)));
            }
            SigningSession session = start(spec, keyShare.get(), traceparent);
            if (session == null) {
                String why = "this party's share does not belong to key " + Long.toUnsignedString(spec.keyId())
                        + " as the ledger holds it (verifying key differs)";
                return CompletableFuture.completedFuture(store(spec, answers.rejected(spec, why)));
            }
            return session.result();
        }
    }

    /** Why this party cannot sign with the key for a final reason, or null when it holds an active share. */
    private static String shareProblem(SignSpec spec, Optional<StoredResult> r) {
        String key = Long.toUnsignedString(spec.keyId());
        if (r.isEmpty() || !r.get().hasShare()) {
            return "this party holds no share of key " + key;
        }
        if (r.get().pending()) {
            throw new PartyException(Status.Code.UNAVAILABLE, "the share of key " + key + " is pending its"
                    + " confirmation on this party; try again once the ledger's status has resolved it");
        }
        if (!r.get().fulfilled()) {
            return "this party's share of key " + key + " is retired (its key request was rejected)";
        }
        if (r.get().participantId() != spec.selfId()) {
            return "this party's share of key " + key + " is for participant " + r.get().participantId()
                    + ", not its position " + spec.selfId() + " in the sign request's snapshot";
        }
        return null;
    }

    /** Unseals the share in the token and starts the session; null when the share is of another key. */
    private SigningSession start(SignSpec spec, StoredResult keyShare, String traceparent) {
        OpenedShare opened = shares.unseal(keyShare);
        Function<SigningSession, AttemptProtocol> protocol;
        try {
            protocol = spec.ecdsa() ? dkls(spec, opened) : frost(spec, opened);
        } catch (RuntimeException e) {
            opened.destroy();
            throw e;
        }
        if (protocol == null) {
            opened.destroy();
            return null;
        }
        long now = System.currentTimeMillis();
        long end = Math.min(spec.deadlineMillis(), now + limits.maxLifetimeMillis());
        SigningSession session = new SigningSession(spec, this, opened, end, traceparent, protocol);
        sessions.put(spec.requestId(), session);
        rt.metrics().signSessionStarted(metricsTag(spec));
        LOG.debugf("sign request %s: session started (%s, %d-of-%d, participant %d)", spec.requestIdText(),
                spec.protocolName(), spec.threshold(), spec.n(), spec.selfId());
        rt.scheduler().schedule(() -> runOnWorker(session::expire), Math.max(0, end - now), TimeUnit.MILLISECONDS);
        List<PeerEnvelope> held = rt.held().take(protocolOf(spec), spec.requestId()).stream()
                .filter(e -> spec.isParticipant(e.getSenderAddr()) && !e.getSenderAddr().equals(rt.self()))
                .toList();
        session.begin(held);
        return session;
    }

    /** FROST over the opened share; null when it is of another key. */
    private static Function<SigningSession, AttemptProtocol> frost(SignSpec spec, OpenedShare opened) {
        try {
            byte[] verifying = Frost.verifyingKey(spec.suite(), opened.publicKeys());
            if (!Arrays.equals(verifying, spec.request().getVerifyingKey().toByteArray())) {
                return null;
            }
            KeyPackage key = KeyPackage.of(opened.share(), opened.publicKeys());
            return s -> new FrostProtocol(spec, key, s);
        } catch (FrostAbort a) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "the stored share of key "
                    + Long.toUnsignedString(spec.keyId()) + " does not match its verification share");
        }
    }

    /**
     * DKLs23 over the opened share (the DKG's secp256k1 share as it is: keys made before DKLs23 sign too); null when
     * the key's compressed group key is not the request's verifying key.
     */
    private Function<SigningSession, AttemptProtocol> dkls(SignSpec spec, OpenedShare opened) {
        PublicKeyPackage pub = opened.publicKeys();
        if (pub.curve().id() != CurveId.SECP256K1 || !Arrays.equals(pub.groupPublicKey(),
                spec.request().getVerifyingKey().toByteArray())) {
            return null;
        }
        int i = opened.share().identifier();
        if (!pub.curve().mulBase(opened.share().value()).equals(pub.verificationShare(i))) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "the stored share of key "
                    + Long.toUnsignedString(spec.keyId()) + " does not match its verification share");
        }
        return s -> new DklsProtocol(spec, opened.share(), pub, rt.pairSetups(), s);
    }

    private static EnvelopeCodec.Protocol protocolOf(SignSpec spec) {
        return spec.ecdsa() ? EnvelopeCodec.Protocol.DKLS : EnvelopeCodec.Protocol.FROST;
    }

    // ------------------------------------------------------------------ Deliver

    /** Routes one signing envelope (headers already checked); completes when it was accepted. */
    public CompletableFuture<Void> deliver(PeerEnvelope e) {
        return async(() -> {
            SigningSession s = sessions.get(e.getRequestId());
            if (s != null) {
                return s.accept(e);
            }
            boolean answered = rt.store().findSignAnswer(e.getRequestId()).isPresent();
            synchronized (this) {
                s = sessions.get(e.getRequestId());
                if (s == null) {
                    if (answered) {
                        throw new PartyException(Status.Code.FAILED_PRECONDITION, "sign request "
                                + Long.toUnsignedString(e.getRequestId()) + " is answered on this party; message refused");
                    }
                    rt.held().hold(e, System.currentTimeMillis());
                    return CompletableFuture.completedFuture(null);
                }
            }
            return s.accept(e);
        });
    }

    // ------------------------------------------------------------------ for sessions

    PartySignResponse store(SignSpec spec, PartySignResponse answer) {
        return rt.store().putSignAnswerIfAbsent(new StoredSignAnswer(spec.requestId(), spec.keyId(),
                spec.sessionIdBytes(), answer)).response();
    }

    void fault(SigningFaults.Fault f) {
        faults.record(f);
        rt.metrics().signFault(f.check(), f.culprit());
    }

    void signedInAttempt(int attempt) {
        rt.metrics().signedInAttempt(attempt);
    }

    private static String metricsTag(SignSpec spec) {
        return spec.ecdsa() ? PartyMetrics.DKLS : PartyMetrics.FROST;
    }

    void ended(SignSpec spec, String outcome) {
        rt.metrics().signSessionEnded(metricsTag(spec), switch (outcome) {
        case "fulfilled" -> PartyMetrics.Outcome.FULFILLED;
        case "rejected" -> PartyMetrics.Outcome.REJECTED;
        default -> PartyMetrics.Outcome.FAILED;
        });
    }

    void remove(SigningSession s) {
        sessions.remove(s.spec().requestId(), s);
        rt.held().take(protocolOf(s.spec()), s.spec().requestId());
    }

    SignAnswers answers() {
        return answers;
    }

    PeerClients clients() {
        return rt.clients();
    }

    OutboundPackages outbound() {
        return rt.outbound();
    }

    ChannelKeys channelKeys() {
        return rt.channelKeys();
    }

    ExecutorService worker() {
        return rt.worker();
    }

    ScheduledExecutorService scheduler() {
        return rt.scheduler();
    }

    int maxEarlyMessages() {
        return limits.maxEarlyMessages();
    }

    long attemptTimeoutMillis() {
        return limits.attemptTimeoutMillis();
    }

    void runOnWorker(Runnable r) {
        try {
            rt.worker().execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("worker pool shut down");
        }
    }

    // ------------------------------------------------------------------ introspection

    /** The faults this party's signing sessions named (public data), oldest first. */
    public List<SigningFaults.Fault> faults() {
        return faults.all();
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** Fails every running session (shutdown). */
    public void shutdown() {
        for (SigningSession s : sessions.values()) {
            s.fail(new PartyException(Status.Code.UNAVAILABLE, "the party is shutting down"));
        }
    }

    private <T> CompletableFuture<T> async(WorkerFutures.Body<T> body) {
        return WorkerFutures.async(rt.worker(), body);
    }
}
