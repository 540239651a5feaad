package io.keyfed.party.dkg.curve;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * An integer modulo the group order q of one curve, opaque to callers. Only a {@link Curve} makes them
 * (decoding, hashing, random sampling or arithmetic), so every instance is reduced, in [0, q).
 *
 * <p>The value is held as its fixed-length canonical encoding (32 bytes; big-endian for secp256k1,
 * little-endian for ed25519) in a buffer that {@link #destroy()} zeroes; every use after that throws
 * {@link IllegalStateException}. Instances are otherwise immutable: arithmetic returns new scalars,
 * which their caller destroys once done with them when they are secret. Arithmetic on them is fixed-width
 * and constant time ({@link Curve#scalarAdd} and friends); a scalar never becomes a
 * {@code java.math.BigInteger} unless a curve method documents it as public-only.
 *
 * <p>{@link #equals} compares the encodings in constant time; {@link #hashCode} does not depend on the
 * value; {@link #toString} never shows it.
 */
public final class Scalar implements Destroyable {
    private final CurveId curve;
    private final byte[] encoding;
    private volatile boolean destroyed;

    /** Takes ownership of {@code encoding}, which must be canonical (in [0, q)). */
    Scalar(CurveId curve, byte[] encoding) {
        this.curve = Objects.requireNonNull(curve);
        this.encoding = Objects.requireNonNull(encoding);
    }

    /** The curve whose group order this scalar is reduced by. */
    public CurveId curveId() {
        return curve;
    }

    /** An independent copy (its own buffer, destroyed separately). */
    public Scalar copy() {
        return new Scalar(curve, bytes().clone());
    }

    /** The held encoding itself (not a copy): never keep, expose or modify it. */
    byte[] bytes() {
        if (destroyed) {
            throw new IllegalStateException("scalar destroyed");
        }
        return encoding;
    }

    /** {@link #bytes()}, after checking that this scalar belongs to {@code expected}. */
    byte[] bytes(CurveId expected) {
        if (curve != expected) {
            throw new IllegalArgumentException("not a " + expected + " scalar");
        }
        return bytes();
    }

    @Override
    public void destroy() {
        Arrays.fill(encoding, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same curve and same value; the values are compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Scalar other && other.curve == curve && MessageDigest.isEqual(bytes(), other.bytes());
    }

    /** Depends on the curve only: hashing a secret value into a table would leak it through timing. */
    @Override
    public int hashCode() {
        return curve.hashCode();
    }

    @Override
    public String toString() {
        return "Scalar[" + curve + ", REDACTED]";
    }
}
