package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;

/**
 * FROST(secp256k1, SHA-256), RFC 9591 section 6.5: H1..H5 under "FROST-secp256k1-SHA256-v1" (H2 with
 * label "chal"); signatures are R (33 bytes, compressed) || z (32 bytes, big-endian).
 */
final class Secp256k1Sha256 extends Secp256k1Suite {
    static final Secp256k1Sha256 INSTANCE = new Secp256k1Sha256();
    private static final String CONTEXT = "FROST-secp256k1-SHA256-v1";

    private Secp256k1Sha256() {
        super(CONTEXT);
    }

    @Override
    public Scalar challenge(GroupElement r, GroupElement groupKey, byte[] message) {
        byte[] input = Signature.concat(CURVE.encodePoint(r), CURVE.encodePoint(groupKey), message);
        return Secp256k1Curve.hashToField(input, Hashes.ascii(CONTEXT + "chal"));
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
}
