package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.util.Objects;

/** Round-2 output of signer {@code identifier}: z_i, public once sent to the coordinator. */
public final class SignatureShare {
    private final int identifier;
    private final Scalar z;

    public SignatureShare(int identifier, Scalar z) {
        this.identifier = identifier;
        this.z = Objects.requireNonNull(z);
    }

    /** Decodes a received share; a non-canonical scalar names its sender. */
    public static SignatureShare decode(Curve curve, int identifier, byte[] encoded) throws FrostAbort {
        try {
            return new SignatureShare(identifier, curve.decodeScalar(encoded));
        } catch (InvalidEncodingException e) {
            throw new FrostAbort(new FrostError.MalformedShare(identifier));
        }
    }

    public int identifier() {
        return identifier;
    }

    public Scalar z() {
        return z;
    }

    public byte[] encode(Curve curve) {
        return curve.encodeScalar(z);
    }

    @Override
    public String toString() {
        return "SignatureShare[participant=" + identifier + "]";
    }
}
