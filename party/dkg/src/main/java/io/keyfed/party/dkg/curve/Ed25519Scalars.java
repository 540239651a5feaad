package io.keyfed.party.dkg.curve;

import java.util.Arrays;

/**
 * Bridges {@link Scalar} (ed25519: 32 little-endian bytes, reduced mod l) to curve25519-elisabeth's
 * {@code Scalar}, whose arithmetic is constant time: {@code add} / {@code subtract} are limb-wise with a
 * masked conditional correction, {@code multiply} / {@code multiplyAndAdd} are ref10's {@code sc_muladd}
 * (straight-line), {@code fromBytesModOrderWide} is ref10's {@code sc_reduce}, and the canonical check
 * reduces the value and compares it with {@code ctEquals}.
 *
 * <p>The library keeps a private copy of the bytes in every one of its scalars, which cannot be zeroed;
 * those copies are short-lived temporaries left to the garbage collector. Our own buffers are zeroed.
 */
final class Ed25519Scalars {
    private Ed25519Scalars() {
    }

    /** The library's scalar for {@code s} (which is canonical by construction). */
    static cafe.cryptography.curve25519.Scalar of(Scalar s) {
        byte[] b = s.bytes(CurveId.ED25519).clone();
        try {
            // fromBits wraps the bytes as they are (it clears bit 255, which is 0 below l).
            return cafe.cryptography.curve25519.Scalar.fromBits(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** Our scalar for the library's (reduced) result. */
    static Scalar wrap(cafe.cryptography.curve25519.Scalar s) {
        return new Scalar(CurveId.ED25519, s.toByteArray());
    }

    /** The library's scalar for 32 little-endian bytes if they are below l, else null; constant time. */
    static cafe.cryptography.curve25519.Scalar canonicalOrNull(byte[] le) {
        try {
            return cafe.cryptography.curve25519.Scalar.fromCanonicalBytes(le);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
