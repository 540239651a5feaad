package io.keyfed.party.session;

/**
 * Outcome of opening a stored sealed share: it opened in the token, and {@code matches} says whether
 * s_i·G equals this party's stored verification share Y_i (and the package's group key the answered
 * public key). Holds no secret.
 */
public record ShareCheck(long requestId, int participantId, boolean matches) {
}
