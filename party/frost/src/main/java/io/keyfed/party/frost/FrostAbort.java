package io.keyfed.party.frost;

/** Thrown by every round when a check fails; the attempt must be abandoned. */
public final class FrostAbort extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient FrostError error;

    public FrostAbort(FrostError error) {
        super("FROST aborted: " + error.describe(), null, false, false);
        this.error = error;
    }

    public FrostError error() {
        return error;
    }

    /** Culprit participant identifier ({@link FrostError#UNATTRIBUTABLE} if none). */
    public int culprit() {
        return error.culprit();
    }
}
