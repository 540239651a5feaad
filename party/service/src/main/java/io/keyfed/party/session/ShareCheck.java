package io.keyfed.party.session;

import io.keyfed.party.store.ShareState;

/**
 * Outcome of opening a stored sealed share: it opened in the token, and {@code matches} says whether
 * s_i·G equals this party's stored verification share Y_i (and, for an active share, the package's group key the
 * answered public key). {@code state}: pending, active or retired. Holds no secret.
 */
public record ShareCheck(long requestId, int participantId, boolean matches, ShareState state) {
}
