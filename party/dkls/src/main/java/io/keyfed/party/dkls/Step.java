package io.keyfed.party.dkls;

import java.util.Objects;

/**
 * What a round returns: the caller's next state (secret; kept) and the message to send (public). Not a
 * record, so that no generated {@code toString} ever reaches into the state.
 */
public final class Step<S, M> {
    private final S state;
    private final M message;

    Step(S state, M message) {
        this.state = Objects.requireNonNull(state);
        this.message = Objects.requireNonNull(message);
    }

    /** The next state, to be passed to the next round (secret: never log or send it). */
    public S state() {
        return state;
    }

    /** The message to send to the peer (public). */
    public M message() {
        return message;
    }

    @Override
    public String toString() {
        return "Step[state=REDACTED, message=" + message + "]";
    }
}
