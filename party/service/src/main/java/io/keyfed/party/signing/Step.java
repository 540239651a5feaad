package io.keyfed.party.signing;

import java.util.Objects;

/**
 * What {@link SigningAttempts#next} gives: the state of the next attempt, or the final outcome of a request
 * for which no attempt is possible any more. Giving up is an ordinary result here, not an exception.
 */
public sealed interface Step {

    /** Another attempt runs; {@code state} is its state. */
    record Attempt(SigningAttempts state) implements Step {
        public Attempt {
            Objects.requireNonNull(state, "state");
        }
    }

    /** No attempt is possible; {@code reason} says why (it names excluded parties and their reasons). */
    record GiveUp(String reason) implements Step {
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
