package io.keyfed.party.dkls;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET state of one party in the pairwise setup ({@link PairSetup}) between rounds: its two VSOT states
 * (sender towards the peer, receiver from the peer), its seed share and the peer's seed commitment. Each
 * round consumes it and hands back the next one; an abort or {@link #destroy()} wipes everything.
 */
public final class PairSetupState implements Destroyable {
    final int self;
    final int peer;
    final byte[] setupId;
    final byte[] seedShare;
    VsotSender sender;
    VsotReceiver receiver;
    OtSenderOutput senderOutput;
    byte[] peerCommitment;
    private int round;
    private boolean destroyed;

    PairSetupState(int self, int peer, byte[] setupId, byte[] seedShare, VsotSender sender, VsotReceiver receiver) {
        this.self = self;
        this.peer = peer;
        this.setupId = setupId;
        this.seedShare = seedShare;
        this.sender = sender;
        this.receiver = receiver;
        this.round = 1;
    }

    public int self() {
        return self;
    }

    public int peer() {
        return peer;
    }

    /** Moves from the round this state was made by to the next; refuses a state used twice. */
    synchronized void advance(int expectedDone) {
        if (destroyed || round != expectedDone) {
            throw new IllegalStateException("pairwise setup state has done round " + round + ", not " + expectedDone
                    + (destroyed ? " (destroyed)" : ""));
        }
        round = expectedDone + 1;
    }

    @Override
    public synchronized void destroy() {
        sender.destroy();
        receiver.destroy();
        if (senderOutput != null) {
            senderOutput.destroy();
        }
        Arrays.fill(seedShare, (byte) 0);
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "PairSetupState[self=" + self + ", peer=" + peer + ", round=" + round + ", REDACTED]";
    }
}
