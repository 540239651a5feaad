package io.keyfed.ledger.service;

import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;

/**
 * What queries show of a request's holders. {@code degraded} depends on the clock, so it is not stored: it is
 * computed whenever a request or a key is shown. A key shows the holders and the degraded flag of its request
 * (a key's id is its request's id).
 */
public final class HolderView {
    private HolderView() {
    }

    /** FULFILLED with fewer than n holders once the deadline has passed. */
    public static boolean degraded(KeyRequest r, long nowMs) {
        return r.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                && r.getHoldersCount() < r.getPartiesCount() && nowMs >= r.getDeadlineUnixMs();
    }

    /**
     * The request as shown at {@code nowMs}; one fulfilled before holders were recorded is shown as
     * {@link AnswerRules#upgraded} sees it.
     */
    public static KeyRequest shown(KeyRequest stored, long nowMs) {
        KeyRequest r = AnswerRules.upgraded(stored);
        boolean d = degraded(r, nowMs);
        return d == r.getDegraded() ? r : r.toBuilder().setDegraded(d).build();
    }

    /** The key with its request's holders, as shown at {@code nowMs}; unchanged when the request is unknown. */
    public static Key shown(Key k, KeyRequest stored, long nowMs) {
        if (stored == null) {
            return k;
        }
        KeyRequest r = AnswerRules.upgraded(stored);
        return k.toBuilder().clearHolders().addAllHolders(r.getHoldersList()).setDegraded(degraded(r, nowMs)).build();
    }
}
