package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Schnorr proof of knowledge of b with B = b·G, made non-interactive with Fiat–Shamir and bound to a
 * context (the OT session id): R = k·G, c = H(context, B, R), z = k + c·b; the verifier checks
 * z·G − c·B = R. Public: the commitment R (33 bytes) and the response z (32 bytes).
 */
public final class DlogProof {
    static final String LABEL = "dkls23-dlog-proof";
    private final byte[] commitment;
    private final byte[] response;

    public DlogProof(byte[] commitment, byte[] response) {
        this.commitment = commitment.clone();
        this.response = response.clone();
    }

    public byte[] commitment() {
        return commitment.clone();
    }

    public byte[] response() {
        return response.clone();
    }

    static DlogProof prove(Curve curve, Scalar secret, GroupElement pub, byte[] context, SecureRandom rng) {
        Scalar k = curve.randomScalar(rng);
        try {
            byte[] r = curve.encodePoint(curve.mulBase(k));
            Scalar c = challenge(curve, context, curve.encodePoint(pub), r);
            Scalar z = curve.scalarMulAdd(c, secret, k);
            byte[] zBytes = curve.encodeScalar(z);
            z.destroy();
            return new DlogProof(r, zBytes);
        } finally {
            k.destroy();
        }
    }

    /** True iff the proof shows knowledge of the discrete log of {@code pub}; malformed proofs are false. */
    boolean verify(Curve curve, GroupElement pub, byte[] context) {
        GroupElement r;
        Scalar z;
        try {
            r = curve.decodePoint(commitment);
            z = curve.decodeScalar(response);
        } catch (InvalidEncodingException e) {
            return false;
        }
        Scalar c = challenge(curve, context, curve.encodePoint(pub), commitment);
        // z·G + (−c)·B, all public
        GroupElement lhs = curve.mulBaseAddPublic(z, pub, curve.scalarNegate(c));
        return lhs.equals(r);
    }

    private static Scalar challenge(Curve curve, byte[] context, byte[] pub, byte[] r) {
        return curve.hashToScalar(LABEL, Hash.of(LABEL, context, pub, r));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DlogProof p && Arrays.equals(p.commitment, commitment)
                && Arrays.equals(p.response, response);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(commitment);
    }

    @Override
    public String toString() {
        return "DlogProof[" + commitment.length + "+" + response.length + " bytes]";
    }
}
