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
 * this one. The mark is shared with every {@link #relabelled} copy (one {@link SetupRetirement}): marking any of
 * them retires all, and a signing session holding one stops at its next step ({@link DklsSign}).
 */
public final class PairwiseSetupOutput implements Destroyable {
    private final int self;
    private final int peer;
    private final byte[] setupId;
    private final OtSenderOutput asSender;
    private final OtReceiverOutput asReceiver;
    private final byte[] zeroSeed;
    private final SetupRetirement retirement;
    private boolean destroyed;

    /** Takes ownership of the OT outputs and the seed; a new setup, with a retirement mark of its own. */
    PairwiseSetupOutput(int self, int peer, byte[] setupId, OtSenderOutput asSender, OtReceiverOutput asReceiver,
            byte[] zeroSeed) {
        this(self, peer, setupId, asSender, asReceiver, zeroSeed, new SetupRetirement());
    }

    private PairwiseSetupOutput(int self, int peer, byte[] setupId, OtSenderOutput asSender,
            OtReceiverOutput asReceiver, byte[] zeroSeed, SetupRetirement retirement) {
        this.retirement = retirement;
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

    /** False once this setup or a relabelled copy of it was marked unusable, or this object destroyed. */
    public synchronized boolean isUsable() {
        return retirement.culprit() < 0 && !destroyed;
    }

    /**
     * Marks this setup unusable after a failed check that named {@code culprit} (or
     * {@link DklsError#UNATTRIBUTABLE}), and wipes its secrets. Retrying over the same OT correlation would
     * let a cheating receiver probe bits of the sender's secret, so a fresh setup is required. The mark is
     * shared: every {@link #relabelled} copy of this setup (and the one it was copied from) is retired with it,
     * and wipes its own secrets the next time it is used or checked.
     */
    public synchronized void markUnusable(int culprit) {
        retirement.retire(culprit);
        wipe();
    }

    /**
     * Whether this setup was retired (by a mark on it or on a copy sharing its mark); a retired copy wipes its
     * secrets here. A signing session asks this at each step.
     */
    synchronized boolean isRetired() {
        if (retirement.culprit() < 0) {
            return false;
        }
        wipe();
        return true;
    }

    /** Refuses (naming the culprit of the failed check) when marked unusable; throws if destroyed. */
    synchronized void requireUsable() throws DklsAbort {
        int culprit = retirement.culprit();
        if (culprit >= 0) {
            wipe();
            throw new DklsAbort(new DklsError.SetupUnusable(culprit));
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
     * An independent copy with its own buffers (destroyed separately) and its own retirement mark, like a
     * {@link #decode} of this setup's encoding. Module-internal: it exists for test harnesses that replay one
     * setup many times, each replay free to retire its copy; callers keep exactly one copy per pair.
     */
    synchronized PairwiseSetupOutput copy() throws DklsAbort {
        requireUsable();
        return new PairwiseSetupOutput(self, peer, setupId, asSender.copy(), asReceiver.copy(), zeroSeed.clone());
    }

    /**
     * An independent copy (own buffers, destroyed separately) that speaks for {@code self} towards {@code peer}:
     * the same base OTs and zero seed under another pair of identifiers, e.g. the two parties' identifiers in the
     * key being signed with, while the setup was run under the identifiers 1 and 2 of its pair.
     *
     * <p>Why this is sound. The identifiers enter two groups of derivations. (1) Those of the setup run itself:
     * the VSOT session ids H(setupId, sender, receiver), the Schnorr proofs bound to them, the seed commitments
     * H(setupId, owner, share) and the order of the two seed shares in the zero seed. They are all finished when
     * the setup exists: its output holds only their results (pads, choice bits, the zero seed), which do not
     * change with a label. (2) Those of the uses that follow: SoftSpokenOT's session id
     * H(sessionId, setupId, sender, receiver) (the sender's side computes it with (self, peer), the receiver's with
     * (peer, self)), the multiplication's, and the signing's sign of each zero share (+ towards a higher
     * identifier, − towards a lower one). Both parties compute these from the labels their own copy carries; when
     * both relabel with the same two signing identifiers, each derivation has the same inputs on both sides, so
     * the sender's and receiver's expansions agree and the zero shares of the pair cancel. What the base OTs
     * correlate (this party's sender pads with the peer's receiver pads, and the reverse) is the direction, not
     * the labels, so a relabelling cannot mix up the two directions. The two parties of the pair must relabel
     * with the same two identifiers (each naming itself first); the signing-session id stays in every expansion,
     * so no relabelling makes two signings share OT-extension output.
     *
     * <p>The copy shares this setup's retirement mark: {@link #markUnusable} on either (or on any other copy made
     * here) retires both, and a signing session holding the copy stops at its next step.
     *
     * @throws DklsAbort when this setup is unusable
     * @throws IllegalArgumentException unless the identifiers are positive and distinct
     */
    public synchronized PairwiseSetupOutput relabelled(int self, int peer) throws DklsAbort {
        if (self <= 0 || peer <= 0 || self == peer) {
            throw new IllegalArgumentException("identifiers must be positive and distinct");
        }
        requireUsable();
        return new PairwiseSetupOutput(self, peer, setupId, asSender.copy(), asReceiver.copy(), zeroSeed.clone(),
                retirement);
    }

    /** Version byte of {@link #encode()}. */
    static final int VERSION = 1;

    /**
     * SECRET bytes for the caller to seal (never store them unencrypted):
     * {@code u8 version=1 | u32 self | u32 peer | setupId(32) | u32 count | ρ0 (count·32) | ρ1 (count·32)
     * | ω (count/8) | ρω (count·32) | zero seed (32)}, integers big-endian. An unusable setup is refused.
     */
    public synchronized byte[] encode() throws DklsAbort {
        requireUsable();
        int count = asSender.count();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(VERSION);
        out.writeBytes(Hash.u32(self));
        out.writeBytes(Hash.u32(peer));
        out.writeBytes(setupId);
        out.writeBytes(Hash.u32(count));
        for (int k = 0; k < count; k++) {
            out.writeBytes(asSender.pad0(k));
        }
        for (int k = 0; k < count; k++) {
            out.writeBytes(asSender.pad1(k));
        }
        byte[] choices = new byte[count / 8];
        for (int k = 0; k < count; k++) {
            choices[k >>> 3] |= (byte) (asReceiver.choice(k) << (k & 7));
        }
        out.writeBytes(choices);
        for (int k = 0; k < count; k++) {
            out.writeBytes(asReceiver.pad(k));
        }
        out.writeBytes(zeroSeed);
        Arrays.fill(choices, (byte) 0);
        return out.toByteArray();
    }

    /** Decodes {@link #encode()}'s bytes (after unsealing); refuses any other length, version or count. */
    public static PairwiseSetupOutput decode(byte[] b) {
        int count = PairSetup.BASE_OTS;
        int expected = 1 + 4 + 4 + 32 + 4 + 3 * count * 32 + count / 8 + 32;
        if (b.length != expected || b[0] != VERSION) {
            throw new IllegalArgumentException("not a version-" + VERSION + " pairwise setup of " + expected + " bytes");
        }
        int self = u32(b, 1);
        int peer = u32(b, 5);
        if (self <= 0 || peer <= 0 || self == peer || u32(b, 41) != count) {
            throw new IllegalArgumentException("pairwise setup with invalid identifiers or OT count");
        }
        int off = 45;
        byte[] pads0 = Arrays.copyOfRange(b, off, off += count * 32);
        byte[] pads1 = Arrays.copyOfRange(b, off, off += count * 32);
        byte[] choices = Arrays.copyOfRange(b, off, off += count / 8);
        byte[] chosen = Arrays.copyOfRange(b, off, off += count * 32);
        byte[] seed = Arrays.copyOfRange(b, off, off + 32);
        return new PairwiseSetupOutput(self, peer, Arrays.copyOfRange(b, 9, 41), new OtSenderOutput(count, pads0, pads1),
                new OtReceiverOutput(count, choices, chosen), seed);
    }

    private static int u32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
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
        return "PairwiseSetupOutput[self=" + self + ", peer=" + peer + (retirement.culprit() >= 0 ? ", UNUSABLE" : "")
                + ", REDACTED]";
    }
}
