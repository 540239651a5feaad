package io.keyfed.party.dkls;

/** Thrown by every step when a check fails; the run must be abandoned (and, for a pair's setup, redone). */
public final class DklsAbort extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient DklsError error;

    public DklsAbort(DklsError error) {
        super("DKLs23 aborted: " + error.describe(), null, false, false);
        this.error = error;
    }

    public DklsError error() {
        return error;
    }

    /** Culprit participant identifier ({@link DklsError#UNATTRIBUTABLE} if none). */
    public int culprit() {
        return error.culprit();
    }
}
