package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;

/**
 * A FROST ciphersuite (RFC 9591 section 6): a prime-order group from the DKG's {@link Curve}, the hash
 * functions H1..H5 under the suite's context string, the signature encoding and verification, and, for
 * BIP-340/Taproot, the key adjustment and the even-R rule. One engine ({@link Frost}) runs every suite.
 */
public sealed interface Ciphersuite permits Ed25519Sha512, Secp256k1Suite {
    /** FROST(Ed25519, SHA-512): signatures verify as RFC 8032 Ed25519 signatures. */
    Ciphersuite ED25519_SHA512 = Ed25519Sha512.INSTANCE;
    /** FROST(secp256k1, SHA-256) of RFC 9591 (65-byte signatures, no chain uses them). */
    Ciphersuite SECP256K1_SHA256 = Secp256k1Sha256.INSTANCE;
    /** BIP-340 FROST as frost-secp256k1-tr's {@code sign}/{@code aggregate}: even-y key, no tweak. */
    Ciphersuite SECP256K1_TR = Secp256k1Tr.BIP340;
    /** BIP-340 FROST for a Taproot key-path output (BIP-86): signs for Q = P + TaggedHash("TapTweak", x(P))·G. */
    Ciphersuite TAPROOT = Secp256k1Tr.KEY_PATH;

    /** The context string, e.g. "FROST-ED25519-SHA512-v1". */
    String contextString();

    Curve curve();

    /** H1: binding factors. */
    Scalar h1(byte[] m);

    /** H3: nonce generation (its input holds a secret share; the caller wipes it). */
    Scalar h3(byte[] m);

    /** H4: the message digest inside the binding factor input. */
    byte[] h4(byte[] m);

    /** H5: the commitment list digest inside the binding factor input. */
    byte[] h5(byte[] m);

    /** The challenge c = H2(...) over the group commitment R, the (adjusted) group key and the message. */
    Scalar challenge(GroupElement r, GroupElement groupKey, byte[] message);

    /** The signature encoding of (R, z). */
    byte[] encodeSignature(GroupElement r, Scalar z);

    /** Whether (R, z) is a signature of {@code message} under the (adjusted) group key; public data only. */
    boolean verify(GroupElement r, Scalar z, GroupElement groupKey, byte[] message);

    /**
     * The affine map s -> a·s + b (and Y -> a·Y + b·G) that turns the DKG's key into the one signed for.
     * The identity except for the BIP-340 suites. Computed from the public group key only.
     */
    default KeyAdjustment adjustment(GroupElement groupKey) throws FrostAbort {
        return KeyAdjustment.NONE;
    }

    /** Whether the signers negate their nonces (and the verifier its commitment shares) when R has odd y. */
    default boolean evenR() {
        return false;
    }

    /** Whether {@code r} must be negated under {@link #evenR()}; false for the other suites. */
    default boolean negatesR(GroupElement r) {
        return false;
    }

    /** -P, for a point of this suite's group whose negation the suite needs (BIP-340 only). */
    default GroupElement negate(GroupElement p) {
        throw new UnsupportedOperationException("no negation needed for " + contextString());
    }

    /** Length of the R part at the start of an encoded signature (ed25519 32, secp256k1 33, BIP-340 32). */
    default int rLength() {
        return curve().pointLength();
    }

    /** R from its part of an encoded signature; validated (on the curve, prime order, not the identity). */
    default GroupElement decodeR(byte[] encoded) throws InvalidEncodingException {
        return curve().decodePoint(encoded);
    }

    /** The encoding of the key a verifier checks the signature under (ed25519 32 bytes, secp256k1 33, BIP-340 x-only 32). */
    byte[] encodeVerifyingKey(GroupElement adjustedGroupKey);
}
