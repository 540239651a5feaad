package io.keyfed.party.dkg;

/** Thrown by every round and decoder when a check fails; the run must be abandoned. */
public final class DkgAbort extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient DkgError error;

    public DkgAbort(DkgError error) {
        super("DKG aborted: " + error.describe(), null, false, false);
        this.error = error;
    }

    public DkgError error() {
        return error;
    }

    /** Culprit participant identifier ({@link DkgError#UNATTRIBUTABLE} if none). */
    public int culprit() {
        return error.culprit();
    }
}
