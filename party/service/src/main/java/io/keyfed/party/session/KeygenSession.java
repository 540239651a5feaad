package io.keyfed.party.session;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.EchoState;
import io.keyfed.party.dkg.Inbound;
import io.keyfed.party.dkg.Round1State;
import io.keyfed.party.dkg.Round2State;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;

/**
 * One request's DKG run on this party: resolve and verify the peers, round 1, echo, round 2, finish and
 * seal, key confirmation (every peer must confirm the same public outcome), store, answer. A party that
 * aborts sends every peer a complaint naming the culprit; a complaint received before answering aborts too.
 * Every state change happens on a worker thread under the session's lock.
 * Holds secret state (polynomial, shares, ephemeral key-agreement secrets, channel keys); all of it is destroyed
 * when the session ends, whatever the outcome (the ephemeral secrets already once round 2 is processed).
 * This class is the state machine (phases, lock, accept, advance, end); its parts, used under its lock:
 * {@link EarlyEnvelopes}, {@link InboundEnvelopes}, {@link SessionOutbox}, {@link SessionOutcomeWriter}
 * ({@link PeerLookup}'s lookups complete on the clients' threads), and {@link AbortReasons} for the wording.
 */
final class KeygenSession {
    private static final Logger LOG = Logger.getLogger(KeygenSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Phase {
        RESOLVING, ROUND1, ECHO, ROUND2, CONFIRM, DONE
    }

    private final SessionSpec spec;
    private final DkgSessionManager manager;
    private final CompletableFuture<PartyResponse> result = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();

    private Phase phase = Phase.RESOLVING;
    /** When the session entered its phase (System.nanoTime), for the round latency metric. */
    private long phaseStartedNanos = System.nanoTime();
    /** Envelopes received before round 1 starts. */
    private final EarlyEnvelopes early;
    /** The peers' identity lookups. */
    private final PeerLookup peerLookup;
    /** Inbound channel keys and the inboxes of checked messages. */
    private final InboundEnvelopes inbound;
    /** Outbound channel keys; seals and sends this party's messages. */
    private final SessionOutbox outbox;
    /** Stores the outcome (pending share, then active or REJECTED) and answers. */
    private final SessionOutcomeWriter outcomes;
    private Round1State round1State;
    /** Our signature (in the token) over our round-1 digest, made once per session. */
    private byte[] round1Signature;
    private EchoState echoState;
    private Round2State round2State;
    /** Ephemeral key agreement, signed round-2 shares and complaint evidence (from round 1 on). */
    private ShareExchange shares;

    /** When the session gives up: the request's deadline, capped by keyfed.party.max-session-lifetime. */
    private final long endMillis;

    KeygenSession(SessionSpec spec, DkgSessionManager manager, long endMillis, String traceparent) {
        this.spec = spec;
        this.manager = manager;
        this.endMillis = endMillis;
        this.early = new EarlyEnvelopes(spec, manager.maxHeldMessages());
        this.peerLookup = new PeerLookup(spec);
        this.inbound = new InboundEnvelopes(spec);
        this.outbox = new SessionOutbox(spec, manager.clients(), manager.outbound(), endMillis, traceparent, result, LOG);
        this.outcomes = new SessionOutcomeWriter(spec, manager, this, result);
    }

    long endMillis() {
        return endMillis;
    }

    SessionSpec spec() {
        return spec;
    }

    CompletableFuture<PartyResponse> result() {
        return result;
    }

    String phase() {
        lock.lock();
        try {
            return phase.name();
        } finally {
            lock.unlock();
        }
    }

    /** Starts peer resolution; {@code held} are early messages taken from the hold. */
    void begin(List<PeerEnvelope> held) {
        lock.lock();
        try {
            early.held(held);
        } finally {
            lock.unlock();
        }
        CompletableFuture<Void> all = peerLookup.start(manager.clients(), endMillis);
        if (all.isDone() && !all.isCompletedExceptionally()) {
            // Every identity was cached, and begin() runs on a worker thread: round 1 starts here and now,
            // without a second trip through the worker queue.
            ready(peerLookup.peers());
            return;
        }
        all.whenCompleteAsync((ok, err) -> {
            if (err != null) {
                Throwable cause = WorkerFutures.unwrap(err);
                if (cause instanceof PartyException pe && pe.code() == Status.Code.DEADLINE_EXCEEDED) {
                    expire();
                    return;
                }
                fail(cause instanceof PartyException pe ? pe
                        : new PartyException(Status.fromThrowable(cause).getCode(),
                                "request " + spec.requestIdText() + ": cannot reach every peer: "
                                        + Status.fromThrowable(cause).getDescription()));
                return;
            }
            ready(peerLookup.peers());
        }, manager.worker());
    }

    private void ready(List<PeerIdentity> peers) {
        lock.lock();
        try {
            if (phase != Phase.RESOLVING) {
                return;
            }
            byte[] sid = spec.sessionId().toBytes();
            for (PeerIdentity p : peers) {
                inbound.channel(p.address(), manager.channelKeys().direction(p, sid, p.address(), spec.self()));
                outbox.channel(p.address(), manager.channelKeys().direction(p, sid, spec.self(), p.address()));
            }
            DkgParameters params = new DkgParameters(spec.curve(), spec.threshold(), spec.n(), spec.selfId(),
                    spec.sessionId());
            Dkg.Round1Output o1 = Dkg.round1(params, RANDOM);
            round1State = o1.state();
            round1Signature = manager.token().signIdentity(
                    Round1Signatures.signBytes(sid, spec.selfId(), o1.digest()));
            shares = new ShareExchange(spec, RANDOM);
            shares.ownPackage(o1.broadcast());
            for (String peer : spec.peers()) {
                outbox.send(peer, EnvelopeCodec.KIND_EPHEMERAL, shares.offer(peer));
            }
            outbox.broadcast(EnvelopeCodec.KIND_ROUND1, o1.signed(round1Signature).encode());
            enter(Phase.ROUND1);
            for (EarlyEnvelopes.Early p : early.drain()) {
                if (phase == Phase.DONE) {
                    p.refuse(new PartyException(Status.Code.FAILED_PRECONDITION, ended()));
                    continue;
                }
                try {
                    process(p.envelope());
                    p.accepted();
                } catch (PartyException e) {
                    if (p.ack() == null) {
                        LOG.warnf("request %s: refused a held message from %s: %s", spec.requestIdText(),
                                p.envelope().getSenderAddr(), e.getMessage());
                    }
                    p.refuse(e);
                } catch (SessionAbort a) {
                    abort(a);
                    p.refuse(new PartyException(Status.Code.FAILED_PRECONDITION, a.reason));
                }
            }
            if (phase != Phase.DONE) {
                advance();
            }
        } catch (SessionAbort a) {
            abort(a);
        } catch (RuntimeException e) {
            LOG.errorf("request %s: session failed: %s", spec.requestIdText(), e.toString());
            fail(new PartyException(Status.Code.INTERNAL, "request " + spec.requestIdText() + ": session failed: "
                    + e.getMessage()));
        } finally {
            lock.unlock();
        }
    }

    private String ended() {
        return "the session of request " + spec.requestIdText() + " has ended on this party";
    }

    /** One envelope from a peer; completes when it was processed (or queued while peers resolve). */
    CompletableFuture<Void> accept(PeerEnvelope e) {
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                throw new PartyException(Status.Code.FAILED_PRECONDITION, ended() + "; message refused");
            }
            if (phase == Phase.RESOLVING) {
                return early.add(e);
            }
            try {
                process(e);
                advance();
            } catch (SessionAbort a) {
                abort(a);
                throw new PartyException(Status.Code.FAILED_PRECONDITION, a.reason);
            }
            return CompletableFuture.completedFuture(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks, authenticates, decodes and files one envelope. Refusals throw {@link PartyException}; an
     * authenticated message that makes the run fail throws {@link SessionAbort}.
     */
    private void process(PeerEnvelope e) throws SessionAbort {
        try {
            inbound.file(e, shares);
        } catch (DkgAbort a) {
            throw AbortReasons.of(spec, a);
        }
    }

    private void advance() throws SessionAbort {
        try {
            step();
        } catch (DkgAbort a) {
            throw AbortReasons.of(spec, a);
        }
    }

    private void step() throws DkgAbort, SessionAbort {
        int peers = spec.n() - 1;
        if (phase == Phase.ROUND1 && inbound.round1().size() == peers && shares.ready()) {
            List<Inbound<SignedRound1Package>> in = new ArrayList<>();
            inbound.round1().forEach((j, p) -> in.add(new Inbound<>(j, p)));
            Dkg.EchoOutput o = Dkg.echo(round1State, round1Signature, in, Round1Signatures.verifier(spec));
            echoState = o.state();
            outbox.broadcast(EnvelopeCodec.KIND_ECHO, o.broadcast().encode());
            enter(Phase.ECHO);
        }
        if (phase == Phase.ECHO && inbound.echo().size() == peers) {
            List<Inbound<EchoPackage>> in = new ArrayList<>();
            inbound.echo().forEach((j, p) -> in.add(new Inbound<>(j, p)));
            Dkg.Round2Output o = Dkg.round2(echoState, in);
            echoState.destroy(); // wipes f_i
            round2State = o.state();
            Map<String, byte[]> sealed = shares.seal(o.shares(),
                    (to, plain) -> manager.filterOutbound(to, EnvelopeCodec.KIND_ROUND2, plain), manager.token());
            sealed.forEach((to, payload) -> outbox.sendAsIs(to, EnvelopeCodec.KIND_ROUND2, payload));
            enter(Phase.ROUND2);
        }
        if (phase == Phase.ROUND2 && inbound.round2().size() == peers) {
            List<Inbound<Round2Package>> in = new ArrayList<>();
            inbound.round2().forEach((j, p) -> in.add(new Inbound<>(j, p)));
            DkgResult r;
            try {
                r = Dkg.finish(round2State, in);
            } catch (DkgAbort bad) {
                shares.provable(bad.error().culprit());
                throw bad;
            }
            shares.destroy(); // every share accepted: the ephemeral secrets are no longer needed
            round2State.destroy();
            round2State = null;
            inbound.round2().values().forEach(Round2Package::destroy);
            inbound.round2().clear();
            finished(r);
            if (phase == Phase.DONE) {
                return; // the share could not be stored: no CONFIRM was sent
            }
            enter(Phase.CONFIRM);
        }
        if (phase == Phase.CONFIRM) {
            for (Map.Entry<Integer, byte[]> c : inbound.confirms().entrySet()) {
                if (!java.security.MessageDigest.isEqual(c.getValue(), outcomes.confirmDigest())) {
                    throw AbortReasons.confirmMismatch(spec, c.getKey());
                }
            }
            if (inbound.confirms().size() == peers) {
                manager.metrics().round(roundName(Phase.CONFIRM), System.nanoTime() - phaseStartedNanos);
                outcomes.confirmed();
            }
        }
    }

    /** Moves to the next phase; the time spent in the one left is its round's latency. Caller holds the lock. */
    private void enter(Phase next) {
        long now = System.nanoTime();
        manager.metrics().round(roundName(phase), now - phaseStartedNanos);
        phase = next;
        phaseStartedNanos = now;
    }

    private static String roundName(Phase p) {
        return p == Phase.RESOLVING ? "resolve" : p.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Dkg.finish succeeded: the share is sealed and stored pending ({@link SessionOutcomeWriter#storePending}),
     * and only then is every peer sent the confirmation digest. When it cannot be stored the session has failed.
     */
    private void finished(DkgResult r) {
        if (outcomes.storePending(r)) {
            outbox.broadcast(EnvelopeCodec.KIND_CONFIRM, outcomes.confirmDigest());
        }
    }

    private void abort(SessionAbort a) {
        if (phase == Phase.DONE) {
            return;
        }
        String reason = a.reason;
        manager.metrics().aborted(a.check, spec.addressOf(a.culprit));
        if (a.complain) {
            // before end() wipes the channel keys; only to peers whose channel keys exist
            KeyConfirmation.complain(outbox, spec.peers(), a.culprit, a.check,
                    shares == null ? null : shares.evidenceAgainst(a.culprit));
        }
        if (phase == Phase.CONFIRM) {
            // after our CONFIRM only the ledger decides: no REJECTED of our own, the share stays pending
            outcomes.awaitLedger(reason);
            return;
        }
        LOG.warnf("request %s: %s", spec.requestIdText(), reason);
        outcomes.rejected(reason);
    }

    /** Called by the deadline timer. */
    void expire() {
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                return;
            }
            List<String> missing = new ArrayList<>();
            if (phase == Phase.RESOLVING) {
                peerLookup.missing(missing);
            } else {
                inbound.missing(phase, shares, missing);
            }
            String limit = endMillis < spec.deadlineMillis() ? "reached keyfed.party.max-session-lifetime"
                    : "missed its deadline";
            String message = "request " + spec.requestIdText() + ": the DKG session " + limit + " in phase "
                    + phase + ", waiting for " + String.join(", ", missing);
            if (phase == Phase.CONFIRM) {
                outcomes.awaitLedger(message);
                return;
            }
            LOG.warn(message);
            fail(new PartyException(Status.Code.DEADLINE_EXCEEDED, message));
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session without an answer (nothing stored; a share stored pending stays, for the ledger to decide). */
    void fail(PartyException e) {
        lock.lock();
        try {
            if (phase == Phase.DONE) {
                return;
            }
            end();
            manager.metrics().sessionEnded(e.code() == Status.Code.DEADLINE_EXCEEDED ? PartyMetrics.Outcome.EXPIRED
                    : PartyMetrics.Outcome.FAILED);
            if (e.code() != Status.Code.DEADLINE_EXCEEDED) {
                LOG.warnf("request %s: session failed (%s, %d-of-%d): %s", spec.requestIdText(), spec.curveName(),
                        spec.threshold(), spec.n(), e.getMessage());
            }
            result.completeExceptionally(e);
        } finally {
            lock.unlock();
        }
    }

    /** Marks the session done, destroys every secret, frees its slot. Caller holds the lock. */
    void end() {
        phase = Phase.DONE;
        early.refuseAll(ended());
        if (round1State != null) {
            round1State.destroy();
        }
        if (echoState != null) {
            echoState.destroy();
        }
        if (round2State != null) {
            round2State.destroy();
        }
        inbound.destroy();
        outcomes.clear();
        if (shares != null) {
            shares.destroy();
        }
        outbox.destroy();
        manager.remove(this);
    }

    @Override
    public String toString() {
        return "KeygenSession[" + spec + "]";
    }
}
