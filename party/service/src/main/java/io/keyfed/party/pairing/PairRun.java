package io.keyfed.party.pairing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;

/**
 * One run with one peer: the HELLO exchange, then either the stored setup (both hold the same setup id) or a fresh
 * {@link PairSetup} of five encrypted rounds, sealed and stored before {@link #done()} completes. Its methods run on
 * the party's worker threads (they touch the token and the database) and are serialised by the run's lock. It ends
 * exactly once ({@link #done()}): with the setup under the run's labels (1 = lower address), or with a
 * {@link PartyException} naming the peer; its secrets (X25519 keys, the setup state, buffered rounds) are wiped
 * when it ends.
 */
final class PairRun {
    private static final Logger LOG = Logger.getLogger(PairRun.class);

    /** What the run uses of its party. */
    interface Io {
        /** The keys of the pair's envelopes in one direction for {@code sessionId}. Blocking (token, once per peer). */
        DirectionKeys keys(PeerIdentity peer, byte[] sessionId, String from, String to);

        /** Sends {@code envelope} for {@code run}; a refusal ends the run ({@link #fail}). */
        void send(PairRun run, PeerEnvelope envelope);

        /** The payload to send instead of {@code plaintext} (tests rewrite it), or null to withhold it. */
        byte[] outbound(String peer, int kind, byte[] plaintext);

        /** Whether the setup with {@code peer} was discarded since the last run (the mark is taken). */
        boolean takeDiscarded(String peer);

        PairSetupRepository repository();

        PairSealing sealing();
    }

    /** How a run ended well: the setup (labels 1 and 2, owned by the receiver) and whether it was run now. */
    static final class Outcome {
        final PairwiseSetupOutput setup;
        final boolean fresh;

        Outcome(PairwiseSetupOutput setup, boolean fresh) {
            this.setup = setup;
            this.fresh = fresh;
        }
    }

    /** What a received HELLO did to the run. */
    enum HelloResult {
        ACCEPTED, DUPLICATE, DIFFERENT
    }

    /** Envelopes of rounds held while the peer's HELLO is still on its way (at most one per round). */
    private static final int MAX_EARLY = PairWire.ROUNDS;

    final PeerIdentity peer;
    final long requestId;
    private final String self;
    private final byte[] selfIdentity;
    private final int selfLabel;
    private final int peerLabel;
    private final Io io;
    private final SecureRandom random;
    private final PairRunKeys keys;
    private final byte[] nonce = new byte[PairWire.NONCE];
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private PairWire.Hello mine;
    private PairWire.Hello theirs;
    /** The fresh setup's rounds, once both HELLOs asked for one. */
    private PairRounds rounds;
    private final List<PeerEnvelope> early = new ArrayList<>();

    PairRun(PeerIdentity peer, long requestId, String self, byte[] selfIdentity, Io io, SecureRandom random) {
        this.peer = peer;
        this.requestId = requestId;
        this.self = self;
        this.selfIdentity = selfIdentity.clone();
        this.selfLabel = PairIds.label(self, peer.address());
        this.peerLabel = 3 - selfLabel;
        this.io = io;
        this.random = random;
        this.keys = new PairRunKeys(random);
        random.nextBytes(nonce);
    }

    /** Completes once, when the run ends. */
    CompletableFuture<Outcome> done() {
        return done;
    }

    /** Reads which setup this party holds and sends its HELLO; decides if the peer's came first. Blocking. */
    synchronized void start() {
        if (done.isDone()) {
            return;
        }
        try {
            if (io.takeDiscarded(peer.address())) {
                io.repository().delete(peer.address()); // the discard's own delete may not have run yet
            }
            byte[] held = io.repository().find(peer.address()).map(s -> s.setupId).orElse(null);
            mine = new PairWire.Hello(held, nonce, keys.ownPublic(), selfIdentity);
            byte[] payload = io.outbound(peer.address(), EnvelopeCodec.KIND_PAIR_HELLO, PairWire.hello(mine));
            if (payload != null) {
                byte[] sid = PairIds.helloSessionId(self, peer.address());
                DirectionKeys helloKeys = io.keys(peer, sid, self, peer.address());
                try {
                    io.send(this, EnvelopeCodec.seal(helloKeys, requestId, sid, self, peer.address(),
                            EnvelopeCodec.KIND_PAIR_HELLO, payload));
                } finally {
                    helloKeys.destroy();
                }
            }
            if (theirs != null) {
                decide();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The peer's authenticated HELLO. Blocking. */
    synchronized HelloResult onHello(PairWire.Hello hello) {
        if (theirs != null) {
            return theirs.sameAs(hello) ? HelloResult.DUPLICATE : HelloResult.DIFFERENT;
        }
        if (done.isDone()) {
            return HelloResult.DIFFERENT;
        }
        theirs = hello;
        if (!Arrays.equals(hello.identityKey, peer.identityKey())) {
            fail(new PartyException(Status.Code.INVALID_ARGUMENT, "the pairwise-setup HELLO of " + peer.address()
                    + " names another identity key than the one it is known by"));
            return HelloResult.ACCEPTED;
        }
        if (mine != null) {
            decide();
        }
        return HelloResult.ACCEPTED;
    }

    /** Both HELLOs are known: reuse the stored setup, or run a fresh one. */
    private void decide() {
        try {
            if (mine.heldSetupId != null && Arrays.equals(mine.heldSetupId, theirs.heldSetupId)) {
                reuse();
                return;
            }
            if (mine.heldSetupId != null && io.repository().delete(peer.address())) {
                LOG.infof("pairwise setup with %s: the peer holds %s, not %s; deleted ours, running a fresh one",
                        peer.address(), theirs.heldSetupId == null ? "none" : PairIds.hex(theirs.heldSetupId),
                        PairIds.hex(mine.heldSetupId));
            }
            byte[] n1 = selfLabel == 1 ? nonce : theirs.nonce;
            byte[] n2 = selfLabel == 1 ? theirs.nonce : nonce;
            byte[] id1 = selfLabel == 1 ? selfIdentity : theirs.identityKey;
            byte[] id2 = selfLabel == 1 ? theirs.identityKey : selfIdentity;
            byte[] setupId = PairIds.setupId(id1, id2, n1, n2);
            if (!keys.agree(theirs.ephemeral, setupId, self, peer.address())) {
                LOG.warnf("pairwise setup with %s failed: its HELLO carries an invalid X25519 key; culprit: %s",
                        peer.address(), peer.address());
                fail(new PartyException(Status.Code.INVALID_ARGUMENT, "the pairwise-setup HELLO of "
                        + peer.address() + " carries an invalid X25519 key (not canonical or of low order)"));
                return;
            }
            rounds = new PairRounds(this, self, setupId, keys, io, random);
            rounds.start();
            List<PeerEnvelope> held = new ArrayList<>(early);
            early.clear();
            for (PeerEnvelope e : held) {
                if (done.isDone()) {
                    break;
                }
                try {
                    take(e);
                } catch (PartyException refused) {
                    // a round of another run (or unauthentic): dropped; one that ends this run has ended it already
                    LOG.debugf("pairwise setup with %s: an early round dropped: %s", peer.address(),
                            refused.getMessage());
                }
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void reuse() {
        if (io.takeDiscarded(peer.address())) {
            io.repository().delete(peer.address());
            fail(new PartyException(Status.Code.ABORTED, "the pairwise setup with " + peer.address()
                    + " was discarded during the run; the next run makes a fresh one"));
            return;
        }
        Optional<PairSetupRepository.Stored> stored = io.repository().find(peer.address());
        if (stored.isEmpty() || !Arrays.equals(stored.get().setupId, mine.heldSetupId)) {
            fail(new PartyException(Status.Code.ABORTED, "the stored pairwise setup with " + peer.address()
                    + " changed during the run"));
            return;
        }
        PairwiseSetupOutput setup;
        try {
            setup = io.sealing().unseal(stored.get().sealed, mine.heldSetupId, peer.address(), peer.identityKey());
        } catch (IllegalArgumentException e) {
            io.repository().delete(peer.address());
            fail(new PartyException(Status.Code.INTERNAL, "the stored pairwise setup with " + peer.address()
                    + " cannot be used (" + e.getMessage() + "); it is deleted, the next run makes a fresh one"));
            return;
        }
        end(new Outcome(setup, false));
    }

    /**
     * A ROUND envelope from the peer (sender and recipient already checked). Blocking.
     *
     * @throws PartyException when it is refused: not this run's, unauthentic, malformed (the run then fails too)
     */
    synchronized void onRound(PeerEnvelope e) {
        if (done.isDone()) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "the pairwise setup run with "
                    + e.getSenderAddr() + " has ended");
        }
        if (rounds == null) {
            if (early.size() >= MAX_EARLY) {
                throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "too many pairwise-setup rounds from "
                        + e.getSenderAddr() + " before its HELLO");
            }
            early.add(e);
            return;
        }
        take(e);
    }

    private void take(PeerEnvelope e) {
        PairwiseSetupOutput setup;
        try {
            setup = rounds.accept(e);
        } catch (PairRounds.Failed f) {
            fail(f.cause);
            if (f.refuse) {
                throw f.cause;
            }
            return;
        }
        if (setup == null) {
            return;
        }
        try {
            byte[] sealed = io.sealing().seal(setup, peer.address(), peer.identityKey());
            io.repository().replace(peer.address(), setup.setupId(), sealed);
        } catch (DklsAbort | RuntimeException x) {
            setup.destroy();
            fail(x instanceof PartyException p ? p : new PartyException(Status.Code.INTERNAL, "the fresh pairwise"
                    + " setup with " + peer.address() + " cannot be sealed and stored: " + x.getClass().getSimpleName()));
            return;
        }
        end(new Outcome(setup, true));
    }

    /** Ends the run with {@code cause} (named for the peer) unless it has ended; wipes it. */
    synchronized void fail(Throwable cause) {
        if (done.isDone()) {
            return;
        }
        wipe();
        done.completeExceptionally(cause instanceof PartyException ? cause
                : new PartyException(Status.Code.INTERNAL, "the pairwise setup with " + peer.address() + " failed: "
                        + cause.getClass().getSimpleName()));
    }

    /** The run's time is up: it fails naming the peer and what it was waiting for. */
    synchronized void expire(long seconds) {
        if (done.isDone()) {
            return;
        }
        String waiting = theirs == null ? "its HELLO" : rounds == null ? "the setup decision" : rounds.waitingFor();
        LOG.warnf("pairwise setup with %s: no answer within %d s (waiting for %s)", peer.address(), seconds, waiting);
        fail(new PartyException(Status.Code.DEADLINE_EXCEEDED, "the pairwise setup with " + peer.address()
                + " timed out: " + peer.address() + " did not answer within " + seconds + " s (waiting for " + waiting
                + ")"));
    }

    private void end(Outcome outcome) {
        wipe();
        done.complete(outcome);
    }

    private void wipe() {
        keys.destroy();
        if (rounds != null) {
            rounds.destroy();
        }
        early.clear();
    }

    @Override
    public String toString() {
        return "PairRun[" + peer.address() + ", REDACTED]";
    }
}
