package io.keyfed.party.dkls;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET. What one party keeps from the pairwise setup with one peer, to be sealed by the caller like a
 * share:
 * <ul>
 *   <li>the base OTs where this party sent ({@link OtSenderOutput}, both pads of each OT) and those where it
 *       received ({@link OtReceiverOutput}, its choice bits and chosen pads): the seeds of OT extension in
 *       both directions;</li>
 *   <li>the pair's zero-sharing seed (DKLs23 Functionality 3.4), the same on both sides.</li>
 * </ul>
 * After a failed OT or multiplication check the caller calls {@link #markUnusable(int)}: the secrets are
 * wiped and every later use is refused with {@link DklsError.SetupUnusable}, until a fresh setup replaces
 * this one.
 */
public final class PairwiseSetupOutput implements Destroyable {
    private final int self;
    private final int peer;
    private final byte[] setupId;
    private final OtSenderOutput asSender;
    private final OtReceiverOutput asReceiver;
    private final byte[] zeroSeed;
    private boolean destroyed;
    private int unusableCulprit = -1;

    /** Takes ownership of the OT outputs and the seed. */
    PairwiseSetupOutput(int self, int peer, byte[] setupId, OtSenderOutput asSender, OtReceiverOutput asReceiver,
            byte[] zeroSeed) {
        this.self = self;
        this.peer = peer;
        this.setupId = setupId.clone();
        this.asSender = asSender;
        this.asReceiver = asReceiver;
        this.zeroSeed = zeroSeed;
    }

    public int self() {
        return self;
    }

    public int peer() {
        return peer;
    }

    /** The setup's public 32-byte id (both sides hold the same). */
    public byte[] setupId() {
        return setupId.clone();
    }

    /** False once marked unusable or destroyed. */
    public synchronized boolean isUsable() {
        return unusableCulprit < 0 && !destroyed;
    }

    /**
     * Marks this setup unusable after a failed check that named {@code culprit} (or
     * {@link DklsError#UNATTRIBUTABLE}), and wipes its secrets. Retrying over the same OT correlation would
     * let a cheating receiver probe bits of the sender's secret, so a fresh setup is required.
     */
    public synchronized void markUnusable(int culprit) {
        if (unusableCulprit < 0) {
            unusableCulprit = Math.max(culprit, 0);
        }
        wipe();
    }

    /** Refuses (naming the culprit of the failed check) when marked unusable; throws if destroyed. */
    synchronized void requireUsable() throws DklsAbort {
        if (unusableCulprit >= 0) {
            throw new DklsAbort(new DklsError.SetupUnusable(unusableCulprit));
        }
        if (destroyed) {
            throw new IllegalStateException("pairwise setup destroyed");
        }
    }

    /** The base OTs where this party is the sender (the held object). */
    OtSenderOutput asSender() throws DklsAbort {
        requireUsable();
        return asSender;
    }

    /** The base OTs where this party is the receiver (the held object). */
    OtReceiverOutput asReceiver() throws DklsAbort {
        requireUsable();
        return asReceiver;
    }

    /** A copy of the pair's zero-sharing seed. */
    byte[] zeroSeed() throws DklsAbort {
        requireUsable();
        return zeroSeed.clone();
    }

    /**
     * An independent copy with its own buffers (destroyed separately). Module-internal: it exists for test
     * harnesses that replay one setup many times; callers keep exactly one copy per pair.
     */
    synchronized PairwiseSetupOutput copy() throws DklsAbort {
        requireUsable();
        return new PairwiseSetupOutput(self, peer, setupId, asSender.copy(), asReceiver.copy(), zeroSeed.clone());
    }

    private void wipe() {
        asSender.destroy();
        asReceiver.destroy();
        Arrays.fill(zeroSeed, (byte) 0);
        destroyed = true;
    }

    @Override
    public synchronized void destroy() {
        wipe();
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public synchronized String toString() {
        return "PairwiseSetupOutput[self=" + self + ", peer=" + peer + (unusableCulprit >= 0 ? ", UNUSABLE" : "")
                + ", REDACTED]";
    }
}
