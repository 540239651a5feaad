package io.keyfed.party.dkg.curve;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Prime-order group abstraction used by the DKG engine.
 *
 * <p>Scalars are integers in [0, q) represented as {@link BigInteger} (q = {@link #order()}); on the wire
 * they are exactly {@link #scalarLength()} bytes (secp256k1 big-endian, ed25519 little-endian as in
 * RFC 8032). Points are {@link GroupElement}s.
 *
 * <p>Constant-time note: multiplications by secret scalars go through {@link #mulBase} only (fixed-base
 * comb / basepoint table). {@link #mul} and {@link #mulBaseAddPublic} are used with public scalars and
 * public points only (challenges, participant indices, received commitments) and may run in variable
 * time; so may {@link #decodePoint}, whose input is a received, public point.
 */
public interface Curve {

    CurveId id();

    /** The prime order q of the group (n for secp256k1, l for ed25519). */
    BigInteger order();

    /** Encoded scalar length in bytes (32 for both curves). */
    int scalarLength();

    /** Encoded point length in bytes (33 for secp256k1 compressed, 32 for ed25519). */
    int pointLength();

    /** A uniformly random scalar in [1, q), by rejection sampling from {@code rng}. */
    default BigInteger randomScalar(SecureRandom rng) {
        BigInteger q = order();
        int bits = q.bitLength();
        while (true) {
            BigInteger k = new BigInteger(bits, rng);
            if (k.signum() > 0 && k.compareTo(q) < 0) {
                return k;
            }
        }
    }

    /** Fixed-length encoding of a scalar in [0, q). */
    byte[] encodeScalar(BigInteger s);

    /** Decodes a fixed-length scalar; rejects wrong lengths and values >= q. */
    BigInteger decodeScalar(byte[] encoded) throws InvalidEncodingException;

    GroupElement identity();

    GroupElement generator();

    /** k·G (fixed base; safe for secret k). */
    GroupElement mulBase(BigInteger k);

    GroupElement add(GroupElement a, GroupElement b);

    /** k·P for a variable base P. PUBLIC k only: may run in variable time. */
    GroupElement mul(GroupElement p, BigInteger k);

    /**
     * a·G + b·P, for verification equations whose scalars and point are all PUBLIC (e.g. the proof of
     * knowledge: μ, c and φ_0 are broadcast). Implementations may use a variable-time simultaneous
     * double-scalar multiply (Shamir's trick); never pass a secret scalar.
     */
    default GroupElement mulBaseAddPublic(BigInteger a, GroupElement p, BigInteger b) {
        return add(mulBase(a), mul(p, b));
    }

    boolean isIdentity(GroupElement p);

    /** Canonical point encoding; the identity has none (throws {@link IllegalArgumentException}). */
    byte[] encodePoint(GroupElement p);

    /**
     * Decodes and validates a point: exact length, canonical encoding, on the curve, in the prime-order
     * subgroup (ed25519: no small-order or torsion component), and not the identity.
     */
    GroupElement decodePoint(byte[] encoded) throws InvalidEncodingException;

    /**
     * Domain-separated hash to a scalar mod q. {@code domain} is an ASCII label appended to the
     * curve's context string; see implementations for the exact construction.
     */
    BigInteger hashToScalar(String domain, byte[] message);

    /** Encoding of the final group public key (33-byte compressed secp256k1, 32-byte ed25519). */
    byte[] encodePublicKey(GroupElement p);

    /** Context string prefixed to every hash domain, e.g. "KEYFED-DKG-v1-secp256k1-". */
    String contextString();

    static Curve of(CurveId id) {
        return switch (id) {
            case SECP256K1 -> Secp256k1Curve.INSTANCE;
            case ED25519 -> Ed25519Curve.INSTANCE;
        };
    }
}
