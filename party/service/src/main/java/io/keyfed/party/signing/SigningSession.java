package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.EnvelopeAdmission;
import io.keyfed.party.session.OpenedShare;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.SessionOutbox;
import io.keyfed.party.transport.PeerIdentity;

/**
 * One sign request's signing session on this party, the same for every protocol (SIGNING.md "FROST in the parties",
 * "DKLs23 for ECDSA"): attempts with a rotating coordinator, each with fresh in-memory secrets, run by an
 * {@link AttemptProtocol} (FROST or DKLs23). A signer that fails a check on an authenticated message is named and
 * excluded from later attempts (ROAST's rule). An attempt whose coordinator or a signer is silent ends at its timer;
 * a party that hears from a later attempt's coordinator catches up. The first verified set of signatures (computed
 * here, or a RESULT that verifies against this party's own copy of the request) is answered FULFILLED; the request's
 * deadline REJECTED. All state changes happen on a worker thread under the session's lock. Secret state (the
 * unsealed share, the attempt's secrets, the channel keys) is wiped when the session ends, whatever the outcome.
 */
final class SigningSession {
    static final Logger LOG = Logger.getLogger(SigningSession.class);

    private final SignSpec spec;
    private final SignSessionManager manager;
    private final OpenedShare opened;
    private final long endMillis;
    private final CompletableFuture<PartySignResponse> result = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final EnvelopeAdmission admission;
    private final SessionOutbox outbox;
    private final SigningPeers peers;
    private final AttemptProtocol protocol;
    private SigningAttempts attempts;
    /** The current attempt on this party and its coordinator. */
    private int attempt;
    private String coordinator;
    /** When the current attempt's timer ends it, epoch milliseconds. */
    private long attemptEndsAt;
    /** Authenticated messages for later attempts, kept until this party reaches them (bounded by n attempts). */
    private final Map<Integer, List<Runnable>> later = new TreeMap<>();
    private ScheduledFuture<?> attemptTimer;
    private String gaveUp;
    private boolean done;

    SigningSession(SignSpec spec, SignSessionManager manager, OpenedShare opened, long endMillis, String traceparent,
            Function<SigningSession, AttemptProtocol> protocol) {
        this.spec = spec;
        this.manager = manager;
        this.opened = opened;
        this.endMillis = endMillis;
        this.admission = new EnvelopeAdmission(spec);
        this.outbox = new SessionOutbox(spec, manager.clients(), manager.outbound(), endMillis, traceparent, result,
                LOG);
        this.peers = new SigningPeers(spec, admission, outbox, manager.maxEarlyMessages());
        this.protocol = protocol.apply(this);
        this.attempts = new SigningAttempts(spec.sessionIdBytes(), spec.snapshot(), spec.threshold(),
                spec.deadlineMillis(), spec.messages().size());
    }

    SignSpec spec() {
        return spec;
    }

    CompletableFuture<PartySignResponse> result() {
        return result;
    }

    long endMillis() {
        return endMillis;
    }

    /** Starts attempt 0 and every peer's resolution; {@code held} are messages that came before the session. */
    void begin(List<PeerEnvelope> held) {
        lock.lock();
        try {
            startAttempt(attempts);
            for (PeerEnvelope e : held) {
                try {
                    peers.hold(e); // nobody waits for a held message's acknowledgement
                } catch (PartyException full) {
                    LOG.debugf("sign request %s: a held message from %s dropped: %s", spec.requestIdText(),
                            e.getSenderAddr(), full.getMessage());
                }
            }
        } finally {
            lock.unlock();
        }
        for (String p : spec.peers()) {
            manager.clients().identity(p, spec.identityKey(p), endMillis)
                    .whenCompleteAsync((identity, err) -> {
                        if (identity != null) {
                            resolved(identity);
                        }
                    }, manager.worker());
        }
    }

    private void resolved(PeerIdentity identity) {
        lock.lock();
        try {
            if (done) {
                return;
            }
            for (SigningPeers.Early e : peers.resolved(identity, manager.channelKeys())) {
                try {
                    process(e.envelope());
                    e.ack().complete(null);
                } catch (PartyException refused) {
                    e.ack().completeExceptionally(refused);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One envelope from a peer; completes when it was processed (or queued until its sender resolves). */
    CompletableFuture<Void> accept(PeerEnvelope e) {
        lock.lock();
        try {
            if (done) {
                throw new PartyException(Status.Code.FAILED_PRECONDITION, ended() + "; message refused");
            }
            if (!spec.isParticipant(e.getSenderAddr()) || e.getSenderAddr().equals(spec.self())) {
                admission.admit(e, protocol.name()); // refuses it, naming the problem
            }
            if (!peers.ready(e.getSenderAddr())) {
                return peers.hold(e);
            }
            process(e);
            return CompletableFuture.completedFuture(null);
        } finally {
            lock.unlock();
        }
    }

    /** Admits one envelope (its attempt and kind in the replay key) and hands it to the protocol. */
    private void process(PeerEnvelope e) {
        byte[] payload = e.getPayload().toByteArray();
        int a = SigningWire.attemptOf(payload);
        if (a < 0 || a >= spec.n()) {
            throw PartyException.invalid("sign request " + spec.requestIdText() + ": envelope from "
                    + e.getSenderAddr() + " names attempt " + a + "; attempts run from 0 to " + (spec.n() - 1));
        }
        int kind = e.getKind();
        int j = admission.admit(e, protocol.name() + " attempt " + a + " kind " + kind);
        String from = e.getSenderAddr();
        Runnable handle = () -> protocol.handle(kind, j, from, payload);
        if (done) {
            return;
        }
        if (protocol.anyAttempt(kind) || a == attempt) {
            handle.run();
            return;
        }
        if (a < attempt) {
            LOG.debugf("sign request %s: kind %d of attempt %d from %s arrived late: this party is at attempt %d",
                    spec.requestIdText(), kind, a, from, attempt);
            protocol.late(a, kind, j, from, payload);
            return;
        }
        String catchUp = protocol.catchUp(kind, from.equals(attempts.coordinatorOf(a)),
                spec.self().equals(attempts.coordinatorOf(a)));
        later.computeIfAbsent(a, k -> new ArrayList<>()).add(handle);
        if (catchUp != null) {
            attempts.jumpTo(a).ifPresent(next -> {
                LOG.infof("sign request %s: %s of attempt %d arrived at attempt %d; moving on to attempt %d",
                        spec.requestIdText(), catchUp, a, attempt, a);
                endAttempt();
                startAttempt(next);
            });
        }
    }

    // ------------------------------------------------------------------ attempts (caller holds the lock)

    private void startAttempt(SigningAttempts state) {
        attempts = state;
        attempt = state.attempt();
        coordinator = state.coordinator();
        long now = System.currentTimeMillis();
        long until = Math.min(state.attemptDeadline(now), now + manager.attemptTimeoutMillis());
        attemptEndsAt = until;
        int a = state.attempt();
        attemptTimer = manager.scheduler().schedule(() -> manager.runOnWorker(() -> attemptTimedOut(a)),
                Math.max(0, until - now), TimeUnit.MILLISECONDS);
        LOG.debugf("sign request %s: attempt %d, coordinator %s", spec.requestIdText(), a, coordinator);
        protocol.started(a, coordinator);
        List<Runnable> waiting = later.remove(a);
        later.keySet().removeIf(k -> k < a);
        if (waiting != null) {
            for (Runnable r : waiting) {
                if (done || attempt != a) {
                    return;
                }
                r.run();
            }
        }
    }

    private void endAttempt() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
        }
        protocol.endAttempt();
    }

    /** The attempt failed here (a bad share, a timeout): the next one, or waiting for the deadline if none is left. */
    void nextAttempt(String why) {
        endAttempt();
        Step step = attempts.next(System.currentTimeMillis());
        if (step instanceof Step.Attempt next) {
            LOG.infof("sign request %s: attempt %d failed (%s); attempt %d follows, coordinated by %s",
                    spec.requestIdText(), attempt, why, next.state().attempt(), next.state().coordinator());
            startAttempt(next.state());
        } else {
            gaveUp = ((Step.GiveUp) step).reason();
            LOG.warnf("sign request %s: attempt %d failed (%s); no further attempt: %s; waiting for a RESULT until the"
                    + " deadline", spec.requestIdText(), attempt, why, gaveUp);
        }
    }

    private void attemptTimedOut(int a) {
        lock.lock();
        try {
            if (done || attempt != a || gaveUp != null) {
                return;
            }
            nextAttempt("no signature within the attempt's time; coordinator " + coordinator + " "
                    + protocol.stalled());
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ for the protocol (caller holds the lock)

    SigningAttempts attempts() {
        return attempts;
    }

    /** The current attempt on this party. */
    int attempt() {
        return attempt;
    }

    /** When the current attempt's timer ends it, epoch milliseconds. */
    long attemptEndsAt() {
        return attemptEndsAt;
    }

    SignSessionManager manager() {
        return manager;
    }

    /**
     * Runs {@code then} with the outcome of {@code work} on a worker thread under the session's lock, if the
     * session is still at attempt {@code a}; otherwise {@code stale} gets the outcome (to wipe what it holds).
     */
    <T> void whenDone(int a, CompletableFuture<T> work, BiConsumer<T, Throwable> then, Consumer<T> stale) {
        work.whenCompleteAsync((value, err) -> {
            lock.lock();
            try {
                if (done || attempt != a) {
                    if (value != null) {
                        stale.accept(value);
                    }
                    return;
                }
                then.accept(value, err);
            } catch (RuntimeException e) {
                LOG.warnf("sign request %s: attempt %d failed here: %s", spec.requestIdText(), a, e.toString());
                if (!done && attempt == a && gaveUp == null) {
                    nextAttempt("an internal error in this party's attempt");
                }
            } finally {
                lock.unlock();
            }
        }, manager.worker());
    }

    void exclude(String culprit, String reason) {
        attempts = attempts.exclude(culprit, reason);
    }

    void send(String to, int kind, byte[] payload) {
        peers.send(to, kind, payload);
    }

    void broadcast(int kind, byte[] payload) {
        peers.broadcast(kind, payload);
    }

    /** Names a peer's fault: logged, counted and kept for the admin view. */
    void fault(String culprit, String check, String detail) {
        LOG.warnf("sign request %s: party %s failed check %s in attempt %d: %s", spec.requestIdText(), culprit, check,
                attempt, detail);
        manager.fault(new SigningFaults.Fault(spec.requestId(), attempt, culprit, check, detail,
                System.currentTimeMillis()));
    }

    /** The request's signatures, verified: answered FULFILLED. */
    void signed(List<byte[]> signatures, int attempt, String how) {
        LOG.infof("sign request %s: signed in attempt %d (%s)", spec.requestIdText(), attempt, how);
        manager.signedInAttempt(attempt);
        finish(manager.answers().fulfilled(spec, signatures), "fulfilled");
    }

    // ------------------------------------------------------------------ end

    /** Called by the deadline timer. */
    void expire() {
        lock.lock();
        try {
            if (done) {
                return;
            }
            if (endMillis < spec.deadlineMillis()) {
                end();
                manager.ended(spec, "failed");
                result.completeExceptionally(new PartyException(Status.Code.DEADLINE_EXCEEDED, "sign request "
                        + spec.requestIdText() + ": the session reached keyfed.party.max-session-lifetime"));
                return;
            }
            String reason = "the deadline passed before " + spec.threshold() + " parties signed (last attempt "
                    + attempt + (gaveUp == null ? "" : "; " + gaveUp) + ")";
            LOG.warnf("sign request %s: %s", spec.requestIdText(), reason);
            finish(manager.answers().rejected(spec, reason), "rejected");
        } finally {
            lock.unlock();
        }
    }

    private void finish(PartySignResponse answer, String outcome) {
        try {
            PartySignResponse stored = manager.store(spec, answer);
            end();
            manager.ended(spec, outcome);
            result.complete(stored);
        } catch (RuntimeException e) {
            fail(e instanceof PartyException pe ? pe : new PartyException(Status.Code.INTERNAL, "sign request "
                    + spec.requestIdText() + ": the answer could not be stored"));
        }
    }

    /** Ends the session without an answer. */
    void fail(PartyException e) {
        lock.lock();
        try {
            if (done) {
                return;
            }
            end();
            manager.ended(spec, "failed");
            LOG.warnf("sign request %s: session failed: %s", spec.requestIdText(), e.getMessage());
            result.completeExceptionally(e);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the session done and wipes every secret: nonces, the unsealed share, the channel keys. */
    private void end() {
        done = true;
        endAttempt();
        later.clear();
        peers.close(ended());
        opened.destroy();
        admission.destroy();
        outbox.destroy();
        manager.remove(this);
    }

    private String ended() {
        return "the signing session of sign request " + spec.requestIdText() + " has ended on this party";
    }

    @Override
    public String toString() {
        return "SigningSession[" + spec + "]";
    }
}
