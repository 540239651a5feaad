package io.keyfed.party.pairing;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.PairSetupState;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.Step;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;

/**
 * SECRET: the five rounds of one fresh setup run ({@link PairSetup}) with one peer, over ROUND envelopes: each
 * round's message encrypted under the run's keys ({@link PairRunKeys}) and authenticated under the channel keys of
 * the setup id. The peer's rounds are taken in order, whatever order they arrive in, each once. Used by its
 * {@link PairRun} under the run's lock; wiped by {@link #destroy()}.
 */
final class PairRounds implements Destroyable {
    private static final Logger LOG = Logger.getLogger(PairRounds.class);

    /** The run must end: {@code cause} names the peer; {@code refuse} when the envelope itself is refused too. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient PartyException cause;
        final boolean refuse;

        Failed(PartyException cause, boolean refuse) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
            this.refuse = refuse;
        }
    }

    private final PairRun run;
    private final PeerIdentity peer;
    private final String self;
    private final int selfLabel;
    private final int peerLabel;
    private final byte[] setupId;
    private final long requestId;
    private final PairRunKeys keys;
    private final DirectionKeys in;
    private final DirectionKeys out;
    private final PairRun.Io io;
    private final SecureRandom random;
    private PairSetupState state;
    /** The next round of the peer's to take (1..5); 6 once finished. */
    private int next = 1;
    private final byte[][] received = new byte[PairWire.ROUNDS + 1][];
    /** The envelope header each received round was authenticated with (its decryption's associated data). */
    private final byte[][] headers = new byte[PairWire.ROUNDS + 1][];

    PairRounds(PairRun run, String self, byte[] setupId, PairRunKeys keys, PairRun.Io io, SecureRandom random) {
        this.run = run;
        this.peer = run.peer;
        this.self = self;
        this.selfLabel = PairIds.label(self, peer.address());
        this.peerLabel = 3 - selfLabel;
        this.setupId = setupId.clone();
        this.requestId = run.requestId;
        this.keys = keys;
        this.io = io;
        this.random = random;
        this.in = io.keys(peer, setupId, peer.address(), self);
        this.out = io.keys(peer, setupId, self, peer.address());
    }

    byte[] setupId() {
        return setupId.clone();
    }

    /** What the run waits for, for its timeout message. */
    String waitingFor() {
        return "its round " + next;
    }

    /** Round 1: starts the setup and sends this party's first message. */
    void start() {
        Step<PairSetupState, ?> step = PairSetup.start(setupId, selfLabel, peerLabel, random);
        state = step.state();
        send(1, step.message());
    }

    /**
     * A ROUND envelope from the peer: taken (with any later rounds it unblocks); the setup once round 5 is done.
     *
     * @return the finished setup (labels 1 and 2), or null while rounds are missing
     * @throws PartyException when the envelope is refused but the run goes on (another run's, unauthentic)
     * @throws Failed when the run must end (a malformed round, a failed check: both name the peer)
     */
    PairwiseSetupOutput accept(PeerEnvelope e) throws Failed {
        if (!Arrays.equals(e.getSessionId().toByteArray(), setupId)) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "pairwise-setup round from "
                    + e.getSenderAddr() + " is for another setup run than " + PairIds.hex(setupId));
        }
        if (!EnvelopeCodec.authentic(in, e)) {
            throw new PartyException(Status.Code.UNAUTHENTICATED, "pairwise-setup round from " + e.getSenderAddr()
                    + " does not authenticate");
        }
        byte[] payload = e.getPayload().toByteArray();
        int round;
        try {
            round = PairWire.roundOf(payload);
        } catch (PairWire.Malformed m) {
            throw malformed(m.getMessage());
        }
        if (round < next || received[round] != null) {
            return null; // a copy of one already taken (a retried delivery)
        }
        received[round] = payload;
        headers[round] = EnvelopeCodec.header(e.getRequestId(), setupId, e.getSenderAddr(), e.getRecipientAddr(),
                e.getKind());
        PairwiseSetupOutput finished = null;
        while (finished == null && next <= PairWire.ROUNDS && received[next] != null) {
            byte[] p = received[next];
            received[next] = null;
            finished = take(next, p, headers[next]);
            next++;
        }
        return finished;
    }

    private PairwiseSetupOutput take(int round, byte[] payload, byte[] header) throws Failed {
        byte[] plain;
        try {
            plain = keys.decrypt(aad(header, round), Arrays.copyOfRange(payload, 2, payload.length));
        } catch (GeneralSecurityException x) {
            throw malformed("round " + round + " does not decrypt under the run's key");
        }
        try {
            switch (round) {
                case 1 -> send(2, step(PairSetup.round2(state, PairWire.round1(plain, peerLabel, selfLabel), random)));
                case 2 -> send(3, step(PairSetup.round3(state, PairWire.round2(plain, peerLabel, selfLabel))));
                case 3 -> send(4, step(PairSetup.round4(state, PairWire.round3(plain, peerLabel, selfLabel))));
                case 4 -> send(5, step(PairSetup.round5(state, PairWire.round4(plain, peerLabel, selfLabel))));
                default -> {
                    return PairSetup.finish(state, PairWire.round5(plain, peerLabel, selfLabel));
                }
            }
            return null;
        } catch (PairWire.Malformed m) {
            throw malformed(m.getMessage());
        } catch (DklsAbort a) {
            String culprit = a.culprit() == peerLabel ? peer.address()
                    : a.culprit() == selfLabel ? self : "no single party";
            LOG.warnf("pairwise setup %s with %s failed its check %s; culprit: %s", PairIds.hex(setupId),
                    peer.address(), a.error().describe(), culprit);
            throw new Failed(new PartyException(Status.Code.ABORTED, "the pairwise setup with " + peer.address()
                    + " failed its check " + a.error().check() + " (culprit " + culprit + ")"), false);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private <M> M step(Step<PairSetupState, M> s) {
        state = s.state();
        return s.message();
    }

    private void send(int round, Object message) {
        byte[] plain = PairWire.encode(message);
        try {
            byte[] payload = io.outbound(peer.address(), EnvelopeCodec.KIND_PAIR_ROUND, plain);
            if (payload == null) {
                return;
            }
            byte[] header = EnvelopeCodec.header(requestId, setupId, self, peer.address(),
                    EnvelopeCodec.KIND_PAIR_ROUND);
            byte[] ct = keys.encrypt(aad(header, round), payload);
            byte[] body = new byte[2 + ct.length];
            System.arraycopy(PairWire.roundHeader(round), 0, body, 0, 2);
            System.arraycopy(ct, 0, body, 2, ct.length);
            io.send(run, EnvelopeCodec.seal(out, requestId, setupId, self, peer.address(), EnvelopeCodec.KIND_PAIR_ROUND,
                    body));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The associated data of a round's ciphertext: the envelope header, then the payload's version and round. */
    private static byte[] aad(byte[] header, int round) {
        byte[] aad = Arrays.copyOf(header, header.length + 2);
        System.arraycopy(PairWire.roundHeader(round), 0, aad, header.length, 2);
        return aad;
    }

    /** A malformed round from the peer: the run ends naming it, and the envelope is refused. */
    private Failed malformed(String problem) {
        LOG.warnf("pairwise setup %s with %s failed: %s; culprit: %s", PairIds.hex(setupId), peer.address(), problem,
                peer.address());
        return new Failed(new PartyException(Status.Code.INVALID_ARGUMENT, "pairwise-setup round from "
                + peer.address() + " refused: " + problem), true);
    }

    @Override
    public void destroy() {
        if (state != null) {
            state.destroy();
        }
        in.destroy();
        out.destroy();
        Arrays.fill(received, null);
    }

    @Override
    public boolean isDestroyed() {
        return in.isDestroyed();
    }

    @Override
    public String toString() {
        return "PairRounds[" + peer.address() + ", REDACTED]";
    }
}
