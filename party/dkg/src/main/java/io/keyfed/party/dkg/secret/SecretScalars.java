package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Scalar;

/**
 * The secret values of {@link Round2Package}, {@link SecretShare} and {@link SecretPolynomial}: one or
 * more {@link Scalar}s, readable until {@link #wipe()} destroys (zeroes) every one of them. After that
 * every read throws {@link IllegalStateException} with the owner's message. Never prints its contents.
 */
final class SecretScalars {
    private final Scalar[] values;
    private final String destroyedMessage;
    private boolean destroyed;

    /** Takes ownership of {@code values} (not copied): they are destroyed by {@link #wipe()}. */
    SecretScalars(Scalar[] values, String destroyedMessage) {
        this.values = values;
        this.destroyedMessage = destroyedMessage;
    }

    /** One scalar, copied: the caller keeps (and destroys) its own. */
    static SecretScalars copyOf(Scalar value, String destroyedMessage) {
        return new SecretScalars(new Scalar[] {value.copy()}, destroyedMessage);
    }

    int size() {
        return values.length;
    }

    /** The held scalar {@code k} itself (not a copy): do not keep it past the owner's life, or destroy it. */
    Scalar value(int k) {
        check();
        return values[k];
    }

    void check() {
        if (destroyed) {
            throw new IllegalStateException(destroyedMessage);
        }
    }

    /** Zeroes every scalar; reads throw from now on. */
    void wipe() {
        for (Scalar s : values) {
            s.destroy();
        }
        destroyed = true;
    }

    boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SecretScalars[REDACTED]";
    }
}
