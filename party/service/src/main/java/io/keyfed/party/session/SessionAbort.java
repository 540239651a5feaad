package io.keyfed.party.session;

/**
 * Why a session aborts: the signed REJECTED reason, the culprit (0: no single party to blame), the failed check,
 * and whether to complain about it to the peers (a failure found here: yes; a peer's complaint: never passed on).
 * Carries no secret; built by {@link AbortReasons}.
 */
final class SessionAbort extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;
    final int culprit;
    final String check;
    final boolean complain;

    SessionAbort(String reason, int culprit, String check, boolean complain) {
        super(reason, null, false, false);
        this.reason = reason;
        this.culprit = culprit;
        this.check = check;
        this.complain = complain;
    }
}
