package io.keyfed.party.dkls;

/**
 * The retirement mark of one pairwise setup, shared by every {@link PairwiseSetupOutput#relabelled relabelled}
 * copy of it: the copies are separate objects (own buffers, destroyed separately) but the same base OTs, so a
 * failed check in the session holding one copy retires them all. DKLs18's errata (ePrint 2018/499, revision of
 * July 2023) ask that after an abort every concurrent session of the pair stop; {@link DklsSign} reads this mark
 * at each step. Set once (the first culprit stays), never cleared: a fresh setup gets a fresh mark. Public
 * values only (a participant identifier).
 */
final class SetupRetirement {
    private int culprit = -1;

    /** Retires the setup naming {@code culprit} (0 for none) unless it is retired already. */
    synchronized void retire(int culprit) {
        if (this.culprit < 0) {
            this.culprit = Math.max(culprit, 0);
        }
    }

    /** The culprit named by the check that retired the setup, or -1 while it is not retired. */
    synchronized int culprit() {
        return culprit;
    }
}
