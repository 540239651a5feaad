package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The secret buffers of {@link Round2Package}, {@link SecretShare} and {@link SecretPolynomial}: one or
 * more scalars held as their fixed-length encodings, readable until {@link #wipe()} zeroes every one of
 * them. After that every read throws {@link IllegalStateException} with the owner's message. Never
 * prints its contents.
 */
final class SecretScalars {
    private final Curve curve;
    private final byte[][] encodings;
    private final String destroyedMessage;
    private final String corruptMessage;
    private boolean destroyed;

    /** Takes ownership of {@code encodings} (not copied): they are zeroed by {@link #wipe()}. */
    SecretScalars(Curve curve, byte[][] encodings, String destroyedMessage, String corruptMessage) {
        this.curve = curve;
        this.encodings = encodings;
        this.destroyedMessage = destroyedMessage;
        this.corruptMessage = corruptMessage;
    }

    /** One scalar, encoded now. */
    static SecretScalars of(Curve curve, BigInteger value, String destroyedMessage, String corruptMessage) {
        return new SecretScalars(curve, new byte[][] {curve.encodeScalar(value)}, destroyedMessage,
                corruptMessage);
    }

    int size() {
        return encodings.length;
    }

    /** Scalar {@code k} as an integer. */
    BigInteger value(int k) {
        check();
        try {
            return curve.decodeScalar(encodings[k]);
        } catch (InvalidEncodingException e) {
            throw new IllegalStateException(corruptMessage);
        }
    }

    /** The held encoding of scalar {@code k} itself (not a copy): do not keep or expose it. */
    byte[] encoded(int k) {
        check();
        return encodings[k];
    }

    /** A copy of the encoding of scalar {@code k}; the caller must wipe it. */
    byte[] copy(int k) {
        check();
        return encodings[k].clone();
    }

    void check() {
        if (destroyed) {
            throw new IllegalStateException(destroyedMessage);
        }
    }

    /** Zeroes every encoding; reads throw from now on. */
    void wipe() {
        for (byte[] e : encodings) {
            Arrays.fill(e, (byte) 0);
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
