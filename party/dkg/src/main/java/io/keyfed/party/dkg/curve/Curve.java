package io.keyfed.party.dkg.curve;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Prime-order group abstraction used by the DKG engine.
 *
 * <p>Scalars are integers in [0, q) (q = the group order: n for secp256k1, l for ed25519) held as opaque,
 * wipeable {@link Scalar}s; on the wire they are exactly {@link #scalarLength()} bytes (secp256k1
 * big-endian, ed25519 little-endian as in RFC 8032). Points are {@link GroupElement}s.
 *
 * <p>Constant time: scalar arithmetic ({@link #scalarAdd}, {@link #scalarMul}, {@link #scalarMulAdd},
 * {@link #scalarNegate}, {@link #scalarReduce}, {@link #decodeScalar}'s range check) is fixed-width and
 * branch-free on the values, so it is safe for secret scalars; so are {@link #mulBase} (fixed-base comb /
 * basepoint table) and {@link #mulSecret} (variable base, fixed window). {@link #mul} and {@link #mulBaseAddPublic} are used with public scalars and public
 * points only (challenges, participant indices, received commitments) and may run in variable time; so
 * may {@link #decodePoint}, whose input is a received, public point.
 */
public interface Curve {

    CurveId id();

    /**
     * The prime order q of the group (n for secp256k1, l for ed25519): a public constant, for documentation
     * and for tests that check the arithmetic against a reference. No scalar arithmetic goes through it.
     */
    BigInteger order();

    /** Encoded scalar length in bytes (32 for both curves). */
    int scalarLength();

    /** Encoded point length in bytes (33 for secp256k1 compressed, 32 for ed25519). */
    int pointLength();

    /**
     * A uniformly random scalar in [1, q), by rejection sampling: (bit length of q) random bits from
     * {@code rng}, read big-endian, until one is in range. A rejected draw says nothing about the one kept.
     */
    Scalar randomScalar(SecureRandom rng);

    /** The scalar v for a small public integer v &gt;= 0 (a participant identifier). */
    Scalar scalarOf(int v);

    /** A copy of the fixed-length encoding of {@code s}; wipe it after use when {@code s} is secret. */
    byte[] encodeScalar(Scalar s);

    /**
     * Decodes a fixed-length scalar; rejects wrong lengths and values &gt;= q. The range check runs in
     * constant time; the input is copied, not retained.
     */
    Scalar decodeScalar(byte[] encoded) throws InvalidEncodingException;

    /** (a + b) mod q, constant time. */
    Scalar scalarAdd(Scalar a, Scalar b);

    /** (a · b) mod q, constant time. */
    Scalar scalarMul(Scalar a, Scalar b);

    /** (a · b + c) mod q, constant time. */
    Scalar scalarMulAdd(Scalar a, Scalar b, Scalar c);

    /** (−a) mod q, constant time. */
    Scalar scalarNegate(Scalar a);

    /**
     * Reduces an integer of at most 64 bytes, read in the curve's byte order (secp256k1 big-endian, ed25519
     * little-endian), mod q, in constant time (used for hash outputs).
     */
    Scalar scalarReduce(byte[] wide);

    GroupElement identity();

    GroupElement generator();

    /** k·G (fixed base; safe for secret k). */
    GroupElement mulBase(Scalar k);

    GroupElement add(GroupElement a, GroupElement b);

    /** k·P for a variable base P. PUBLIC k only: may run in variable time. */
    GroupElement mul(GroupElement p, Scalar k);

    /**
     * k·P for a SECRET k and a public P: no branch or memory access depends on k (fixed window, masked
     * table lookup, complete formulas; see the implementations for what residual leaks remain). Same
     * result as {@link #mul}; slower for the small public scalars {@code mul} is meant for.
     */
    GroupElement mulSecret(GroupElement p, Scalar k);

    /**
     * a·G + b·P, for verification equations whose scalars and point are all PUBLIC (e.g. the proof of
     * knowledge: μ, c and φ_0 are broadcast). Implementations may use a variable-time simultaneous
     * double-scalar multiply (Shamir's trick); never pass a secret scalar.
     */
    default GroupElement mulBaseAddPublic(Scalar a, GroupElement p, Scalar b) {
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
    Scalar hashToScalar(String domain, byte[] message);

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
