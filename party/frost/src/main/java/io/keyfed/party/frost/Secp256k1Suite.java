package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;

/**
 * What the secp256k1 suites share (RFC 9591 section 6.5): the curve, and H1, H3, H4 and H5 under the suite's
 * context string: H1 and H3 are hash_to_field (expand_message_xmd, SHA-256, L = 48) with DST = context ||
 * label; H4 and H5 are SHA-256(context || label || m). The suites differ in H2 and the encodings.
 */
abstract sealed class Secp256k1Suite implements Ciphersuite permits Secp256k1Sha256, Secp256k1Tr {
    static final Curve CURVE = Secp256k1Curve.INSTANCE;
    private final String context;

    Secp256k1Suite(String context) {
        this.context = context;
    }

    @Override
    public final String contextString() {
        return context;
    }

    @Override
    public final Curve curve() {
        return CURVE;
    }

    @Override
    public final Scalar h1(byte[] m) {
        return Secp256k1Curve.hashToField(m, Hashes.ascii(context + "rho"));
    }

    @Override
    public final Scalar h3(byte[] m) {
        return Secp256k1Curve.hashToField(m, Hashes.ascii(context + "nonce"));
    }

    @Override
    public final byte[] h4(byte[] m) {
        return Hashes.sha256(Hashes.ascii(context + "msg"), m);
    }

    @Override
    public final byte[] h5(byte[] m) {
        return Hashes.sha256(Hashes.ascii(context + "com"), m);
    }
}
