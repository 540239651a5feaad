package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;

/**
 * FROST(Ed25519, SHA-512), RFC 9591 section 6.1. H2 is SHA-512 with no prefix (RFC 8032's challenge), so
 * the output R || z (32 + 32 bytes, z little-endian) verifies as an ordinary Ed25519 signature.
 */
final class Ed25519Sha512 implements Ciphersuite {
    static final Ed25519Sha512 INSTANCE = new Ed25519Sha512();
    private static final String CONTEXT = "FROST-ED25519-SHA512-v1";
    private static final Curve CURVE = Ed25519Curve.INSTANCE;

    private Ed25519Sha512() {
    }

    @Override
    public String contextString() {
        return CONTEXT;
    }

    @Override
    public Curve curve() {
        return CURVE;
    }

    @Override
    public Scalar h1(byte[] m) {
        return prefixed("rho", m);
    }

    @Override
    public Scalar h3(byte[] m) {
        return prefixed("nonce", m);
    }

    @Override
    public byte[] h4(byte[] m) {
        return Hashes.sha512(Hashes.ascii(CONTEXT + "msg"), m);
    }

    @Override
    public byte[] h5(byte[] m) {
        return Hashes.sha512(Hashes.ascii(CONTEXT + "com"), m);
    }

    /** H2(R || Y || m) = SHA-512(R || Y || m) read little-endian mod l, no context string. */
    @Override
    public Scalar challenge(GroupElement r, GroupElement groupKey, byte[] message) {
        return CURVE.scalarReduce(Hashes.sha512(CURVE.encodePoint(r), CURVE.encodePoint(groupKey), message));
    }

    @Override
    public byte[] encodeSignature(GroupElement r, Scalar z) {
        return Signature.concat(CURVE.encodePoint(r), CURVE.encodeScalar(z));
    }

    @Override
    public boolean verify(GroupElement r, Scalar z, GroupElement groupKey, byte[] message) {
        return SchnorrCheck.holds(CURVE, r, z, groupKey, challenge(r, groupKey, message));
    }

    @Override
    public byte[] encodeVerifyingKey(GroupElement adjustedGroupKey) {
        return CURVE.encodePoint(adjustedGroupKey);
    }

    private Scalar prefixed(String label, byte[] m) {
        byte[] d = Hashes.sha512(Hashes.ascii(CONTEXT + label), m);
        try {
            return CURVE.scalarReduce(d);
        } finally {
            java.util.Arrays.fill(d, (byte) 0);
        }
    }
}
