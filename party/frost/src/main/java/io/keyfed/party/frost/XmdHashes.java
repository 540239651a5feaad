package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;

/**
 * H1, H3, H4 and H5 of the secp256k1 suites (RFC 9591 section 6.5) under one context string: H1 and H3 are
 * hash_to_field (expand_message_xmd, SHA-256, L = 48) with DST = context || label; H4 and H5 are
 * SHA-256(context || label || m).
 */
final class XmdHashes {
    private final String context;

    XmdHashes(String context) {
        this.context = context;
    }

    Scalar h1(byte[] m) {
        return Secp256k1Curve.hashToField(m, Hashes.ascii(context + "rho"));
    }

    Scalar h3(byte[] m) {
        return Secp256k1Curve.hashToField(m, Hashes.ascii(context + "nonce"));
    }

    byte[] h4(byte[] m) {
        return Hashes.sha256(Hashes.ascii(context + "msg"), m);
    }

    byte[] h5(byte[] m) {
        return Hashes.sha256(Hashes.ascii(context + "com"), m);
    }
}
