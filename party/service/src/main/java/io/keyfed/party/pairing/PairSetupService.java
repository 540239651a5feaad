package io.keyfed.party.pairing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.session.OutboundPackages;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.WorkerFutures;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerClients;
import io.keyfed.party.transport.PeerIdentity;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This party's {@link PairSetups}: at most one {@link PairRun} per peer at a time, shared by every
 * {@link #ensure} for that peer (single flight) and started by a peer's HELLO too, so both sides need not ask
 * at the same moment. At most {@link Limits#maxRuns} runs at once; a run ends after {@link Limits#runTimeoutMillis}
 * at the latest. Runs, the token and the database work on the worker threads; nothing here blocks a caller.
 */
public final class PairSetupService implements PairSetups {
    private static final Logger LOG = Logger.getLogger(PairSetupService.class);

    /** What the service uses of its party. */
    public record Runtime(String address, HsmToken token, PeerClients clients, ChannelKeys channelKeys,
            io.vertx.mutiny.sqlclient.Pool pool, ExecutorService worker, ScheduledExecutorService scheduler,
            OutboundPackages outbound, MeterRegistry registry) {
    }

    /** {@code keyfed.party.max-pair-setups} and {@code keyfed.party.pair-setup-timeout}. */
    public record Limits(int maxRuns, long runTimeoutMillis) {
    }

    /** One {@link #ensure} call waiting for its peer's run. */
    private record Waiter(int self, int peer, CompletableFuture<PairwiseSetupOutput> result) {
    }

    /** Delivery failures of the transport (the peer down, restarting, slow), not the peer's refusal. */
    private static final Set<Status.Code> TRANSPORT = java.util.EnumSet.of(Status.Code.CANCELLED,
            Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.UNKNOWN, Status.Code.INTERNAL,
            Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED);

    private final Runtime rt;
    private final Limits limits;
    private final PairSetupRepository repository;
    private final PairSealing sealing;
    private final byte[] identityKey;
    private final SecureRandom random = new SecureRandom();
    private final PairMetrics metrics;
    private final PairRun.Io io;
    /** Guarded by this: the run per peer address, and the ensure calls waiting for it. */
    private final Map<String, PairRun> runs = new HashMap<>();
    private final Map<PairRun, List<Waiter>> waiters = new HashMap<>();
    /** Guarded by this: copies handed out per peer, made unusable by {@link #discard}. */
    private final Map<String, Set<PairwiseSetupOutput>> handedOut = new HashMap<>();
    /** Guarded by this: peers whose setup was discarded, until the next run with them has deleted it for sure. */
    private final Set<String> discarded = new java.util.HashSet<>();
    private volatile boolean closed;

    public PairSetupService(Runtime rt, Limits limits) {
        this.rt = rt;
        this.limits = limits;
        this.repository = new PairSetupRepository(rt.pool());
        this.identityKey = rt.token().identityPublicKey();
        this.sealing = new PairSealing(rt.token(), rt.address(), identityKey);
        this.metrics = new PairMetrics(rt.registry());
        this.io = new PairRun.Io() {
            @Override
            public DirectionKeys keys(PeerIdentity peer, byte[] sessionId, String from, String to) {
                return rt.channelKeys().direction(peer, sessionId, from, to);
            }

            @Override
            public void send(PairRun run, PeerEnvelope envelope) {
                rt.clients().deliver(envelope, System.currentTimeMillis() + limits.runTimeoutMillis())
                        .whenComplete((v, err) -> {
                            if (err == null) {
                                return;
                            }
                            Status.Code code = Status.fromThrowable(WorkerFutures.unwrap(err)).getCode();
                            if (TRANSPORT.contains(code)) {
                                // the peer is down or restarting: its next HELLO restarts the run, else it times out
                                LOG.warnf("pairwise setup with %s: an envelope did not reach it (%s)",
                                        run.peer.address(), WorkerFutures.describe(err));
                                return;
                            }
                            onWorker(() -> run.fail(new PartyException(Status.Code.ABORTED, "the pairwise setup"
                                    + " with " + run.peer.address() + " failed: " + run.peer.address()
                                    + " refused its envelope (" + WorkerFutures.describe(err) + ")")));
                        });
            }

            @Override
            public byte[] outbound(String peer, int kind, byte[] plaintext) {
                return rt.outbound().apply(peer, kind, plaintext);
            }

            @Override
            public boolean takeDiscarded(String peer) {
                synchronized (PairSetupService.this) {
                    return discarded.remove(peer);
                }
            }

            @Override
            public PairSetupRepository repository() {
                return repository;
            }

            @Override
            public PairSealing sealing() {
                return sealing;
            }
        };
    }

    @Override
    public CompletableFuture<PairwiseSetupOutput> ensure(PeerIdentity peer, int self, int peerIdentifier,
            long signRequestId, long deadlineMillis) {
        CompletableFuture<PairwiseSetupOutput> result = new CompletableFuture<>();
        if (peer.address().equals(rt.address()) || self <= 0 || peerIdentifier <= 0 || self == peerIdentifier
                || signRequestId == 0) {
            result.completeExceptionally(PartyException.invalid("a pairwise setup needs another party, two"
                    + " distinct positive identifiers and a sign request id"));
            return result;
        }
        PairRun started;
        synchronized (this) {
            if (closed) {
                result.completeExceptionally(new PartyException(Status.Code.UNAVAILABLE, "the party is shutting down"));
                return result;
            }
            PairRun run = runs.get(peer.address());
            started = null;
            if (run != null && run.done().isCompletedExceptionally()) {
                run = null; // it failed and is being cleared away: this call gets a run of its own
            }
            if (run == null) {
                run = newRun(peer, signRequestId);
                if (run == null) {
                    result.completeExceptionally(new PartyException(Status.Code.RESOURCE_EXHAUSTED, "the pairwise"
                            + " setup with " + peer.address() + " cannot start: " + limits.maxRuns()
                            + " setups are running (keyfed.party.max-pair-setups)"));
                    return result;
                }
                started = run;
            }
            waiters.get(run).add(new Waiter(self, peerIdentifier, result));
        }
        long delay = Math.max(0, deadlineMillis - System.currentTimeMillis());
        var timer = rt.scheduler().schedule(() -> onWorker(() -> result.completeExceptionally(new PartyException(
                Status.Code.DEADLINE_EXCEEDED, "the pairwise setup with " + peer.address()
                        + " did not complete before the deadline (" + peer.address() + " did not answer in time)"))),
                delay, TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> timer.cancel(false));
        if (started != null) {
            PairRun run = started;
            onWorker(run::start);
        }
        return result;
    }

    /** A new run registered for {@code peer}, or null at the cap (logged). Holds the lock. */
    private PairRun newRun(PeerIdentity peer, long requestId) {
        if (runs.size() >= limits.maxRuns()) {
            LOG.warnf("refusing a pairwise setup with %s: %d setups are running (keyfed.party.max-pair-setups)",
                    peer.address(), runs.size());
            return null;
        }
        PairRun run = new PairRun(peer, requestId, rt.address(), identityKey, io, random);
        runs.put(peer.address(), run);
        waiters.put(run, new ArrayList<>());
        long timeout = limits.runTimeoutMillis();
        var timer = rt.scheduler().schedule(() -> onWorker(() -> run.expire(timeout / 1000)), timeout,
                TimeUnit.MILLISECONDS);
        run.done().whenCompleteAsync((outcome, err) -> {
            timer.cancel(false);
            ended(run, outcome, err);
        }, rt.worker());
        return run;
    }

    /** Hands the run's outcome to its waiters (each its own relabelled copy); counts it. */
    private void ended(PairRun run, PairRun.Outcome outcome, Throwable err) {
        List<Waiter> ws;
        synchronized (this) {
            runs.remove(run.peer.address(), run);
            ws = waiters.remove(run);
        }
        ws = ws == null ? List.of() : ws;
        if (err != null) {
            metrics.failed();
            Throwable cause = WorkerFutures.unwrap(err);
            ws.forEach(w -> w.result().completeExceptionally(cause));
            return;
        }
        if (outcome.fresh) {
            metrics.fresh();
            LOG.infof("pairwise setup with %s: fresh setup %s run and sealed", run.peer.address(),
                    PairIds.hex(outcome.setup.setupId()));
        } else {
            metrics.reused();
            LOG.debugf("pairwise setup with %s: stored setup %s reused", run.peer.address(),
                    PairIds.hex(outcome.setup.setupId()));
        }
        try {
            for (Waiter w : ws) {
                if (w.result().isDone()) {
                    continue;
                }
                try {
                    PairwiseSetupOutput copy = outcome.setup.relabelled(w.self(), w.peer());
                    synchronized (this) {
                        handedOut.computeIfAbsent(run.peer.address(),
                                a -> Collections.newSetFromMap(new WeakHashMap<>())).add(copy);
                    }
                    if (!w.result().complete(copy)) {
                        copy.destroy();
                    }
                } catch (DklsAbort | IllegalArgumentException e) {
                    w.result().completeExceptionally(new PartyException(Status.Code.INTERNAL, "the pairwise setup with "
                            + run.peer.address() + " cannot be handed out: " + e.getMessage()));
                }
            }
        } finally {
            outcome.setup.destroy();
        }
    }

    @Override
    public void discard(PeerIdentity peer, String reason) {
        List<PairwiseSetupOutput> copies;
        synchronized (this) {
            Set<PairwiseSetupOutput> held = handedOut.remove(peer.address());
            copies = held == null ? List.of() : new ArrayList<>(held);
            discarded.add(peer.address());
        }
        copies.forEach(c -> c.markUnusable(c.peer()));
        LOG.warnf("pairwise setup with %s discarded: %s", peer.address(), reason);
        onWorker(() -> {
            try {
                repository.delete(peer.address());
            } catch (PartyException e) {
                LOG.errorf("cannot delete the discarded pairwise setup with %s: %s", peer.address(), e.getMessage());
            }
        });
    }

    /**
     * A peer's pairing envelope whose header {@code EnvelopeHeaders} accepted (this party the recipient, a
     * configured sender). The future completes when it is taken (or refused, with a {@link PartyException}).
     */
    public CompletableFuture<Void> deliver(PeerEnvelope e) {
        return WorkerFutures.async(rt.worker(), () -> {
            if (e.getKind() == EnvelopeCodec.KIND_PAIR_HELLO) {
                return hello(e);
            }
            PairRun run;
            synchronized (this) {
                run = runs.get(e.getSenderAddr());
            }
            if (run == null) {
                throw new PartyException(Status.Code.FAILED_PRECONDITION, "no pairwise setup is running with "
                        + e.getSenderAddr());
            }
            run.onRound(e);
            return CompletableFuture.completedFuture(null);
        });
    }

    private CompletableFuture<Void> hello(PeerEnvelope e) {
        String sender = e.getSenderAddr();
        PairWire.Hello h;
        try {
            h = PairWire.hello(e.getPayload().toByteArray());
        } catch (PairWire.Malformed m) {
            LOG.warnf("pairwise-setup HELLO from %s refused: %s", sender, m.getMessage());
            throw PartyException.invalid("pairwise-setup HELLO from " + sender + " refused: " + m.getMessage());
        }
        byte[] sid = PairIds.helloSessionId(rt.address(), sender);
        if (!java.util.Arrays.equals(sid, e.getSessionId().toByteArray())) {
            throw PartyException.invalid("pairwise-setup HELLO from " + sender + " has another session id than the"
                    + " pair's");
        }
        return rt.clients().identity(sender, h.identityKey, System.currentTimeMillis() + limits.runTimeoutMillis())
                .thenApplyAsync(peer -> {
                    DirectionKeys keys = rt.channelKeys().direction(peer, sid, sender, rt.address());
                    try {
                        if (!EnvelopeCodec.authentic(keys, e)) {
                            throw new PartyException(Status.Code.UNAUTHENTICATED, "pairwise-setup HELLO from "
                                    + sender + " does not authenticate");
                        }
                    } finally {
                        keys.destroy();
                    }
                    take(peer, h, e.getRequestId());
                    return null;
                }, rt.worker());
    }

    /** An authentic HELLO: to the peer's run, or a new run answering it. Blocking. */
    private void take(PeerIdentity peer, PairWire.Hello h, long requestId) {
        PairRun run;
        boolean started = false;
        synchronized (this) {
            run = runs.get(peer.address());
            if (run == null && !closed) {
                run = newRun(peer, requestId);
                started = true;
            }
        }
        if (run == null) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "pairwise-setup HELLO from " + peer.address()
                    + " refused: " + limits.maxRuns() + " setups are running (keyfed.party.max-pair-setups)");
        }
        if (started) {
            run.start();
        }
        if (run.onHello(h) != PairRun.HelloResult.DIFFERENT) {
            return;
        }
        // The peer started another run (it gave up on this one, or restarted): answer that one, moving the waiters.
        PairRun next;
        synchronized (this) {
            if (runs.get(peer.address()) != run) {
                throw new PartyException(Status.Code.ABORTED, "pairwise-setup HELLO from " + peer.address()
                        + " raced with another; send it again");
            }
            runs.remove(peer.address());
            List<Waiter> moved = waiters.remove(run);
            next = newRun(peer, run.requestId);
            waiters.get(next).addAll(moved == null ? List.of() : moved);
        }
        LOG.infof("pairwise setup with %s: the peer started a new run; answering it", peer.address());
        run.fail(new PartyException(Status.Code.ABORTED, "the pairwise setup with " + peer.address()
                + " was restarted by " + peer.address()));
        next.start();
        next.onHello(h);
    }

    private void onWorker(Runnable r) {
        try {
            rt.worker().execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** The runs going on now (one per peer at most). */
    synchronized int running() {
        return runs.size();
    }

    /** Fails every run (CANCELLED); called when the party stops. */
    public void shutdown() {
        List<PairRun> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(runs.values());
        }
        all.forEach(r -> r.fail(new PartyException(Status.Code.CANCELLED, "the party is shutting down")));
    }
}
