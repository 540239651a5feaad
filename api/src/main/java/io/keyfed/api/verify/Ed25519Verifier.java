package io.keyfed.api.verify;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Strict Ed25519 verification (RFC 8032 section 5.1.7, pure Ed25519: no context, no prehash).
 *
 * <p>Strict means: every accepted signature has exactly one encoding, and a key or nonce point outside the
 * prime-order subgroup is refused, so verifiers that follow this class cannot disagree on which signatures
 * are valid.
 */
public final class Ed25519Verifier {
    /**
     * Canonical encoding of the neutral element (x = 0, y = 1): of prime order in the sense needed here, but
     * refused by {@code validatePublicKeyFull}.
     */
    private static final byte[] IDENTITY = identity();

    private Ed25519Verifier() {
    }

    /**
     * Verifies an Ed25519 signature {@code R || S} by {@code publicKey32} over {@code message} (any length,
     * empty included). Returns false, never throws, for any input that is not a valid signature.
     *
     * <p>Checks, in order, and where each comes from:
     * <ol>
     *   <li>Shape (here): the key is 32 bytes, the signature 64, the message not null.</li>
     *   <li>The public key A (BouncyCastle {@code Ed25519.validatePublicKeyFull}): y &lt; p (canonical), the
     *       encoding decodes to a curve point, x = 0 never with the sign bit set (canonical), A is not one of
     *       the eight small-order points, and [L]A is the neutral element, i.e. A lies in the prime-order
     *       subgroup. BC's {@code verify} on its own checks all of this but the last: it would accept a key
     *       with a small-order component, for which the equation below can hold.</li>
     *   <li>The nonce point R (here, with {@code validatePublicKeyFull} on R's 32 bytes): the same checks as
     *       for A, except that the neutral element itself is allowed (its canonical encoding only). So R is
     *       canonically encoded and of prime order (or neutral); a small-order or mixed-order R is refused.
     *       BouncyCastle's {@code verify} only decodes R, see the last point.</li>
     *   <li>The equation (BouncyCastle {@code Ed25519.verify}, pure variant): again R canonical (y &lt; p,
     *       and decodes, no x = 0 with the sign bit), S &lt; L (a non-canonical S is refused, so S + L does
     *       not pass), k = SHA-512(R || A || M) mod L, and the cofactorless equation [S]B = R + [k]A. BC
     *       evaluates it in a lattice-reduced form, [v]([S]B − R − [k]A) = O for a non-zero v below 2^128
     *       derived from k; for an R with a small-order component whose order divides v, that accepts a
     *       signature the plain equation refuses. Because the checks above put A and R in the prime-order
     *       subgroup, it is here exactly the cofactorless equation: no cofactor is multiplied in, and a
     *       signature that is valid only under the cofactored equation [8][S]B = [8]R + [8][k]A is
     *       refused.</li>
     * </ol>
     */
    public static boolean verify(byte[] publicKey32, byte[] message, byte[] signature64) {
        if (publicKey32 == null || publicKey32.length != Ed25519.PUBLIC_KEY_SIZE || message == null
                || signature64 == null || signature64.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            if (!Ed25519.validatePublicKeyFull(publicKey32, 0)) {
                return false;
            }
            if (!isNeutral(signature64) && !Ed25519.validatePublicKeyFull(signature64, 0)) {
                return false;
            }
            return Ed25519.verify(signature64, 0, publicKey32, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            // BouncyCastle signals nothing but true/false for these inputs; a runtime failure is a refusal.
            return false;
        }
    }

    private static boolean isNeutral(byte[] signature) {
        for (int i = 0; i < IDENTITY.length; i++) {
            if (signature[i] != IDENTITY[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] identity() {
        byte[] b = new byte[32];
        b[0] = 1;
        return b;
    }
}
