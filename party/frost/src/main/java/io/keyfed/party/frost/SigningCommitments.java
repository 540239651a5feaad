package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import java.util.Objects;

/**
 * Round-1 output of participant {@code identifier}, public: the hiding and binding nonce commitments
 * D = d·G and E = e·G.
 */
public record SigningCommitments(int identifier, GroupElement hiding, GroupElement binding) {
    public SigningCommitments {
        Objects.requireNonNull(hiding);
        Objects.requireNonNull(binding);
    }

    /** Decodes and validates both points (valid, in the prime-order group, not the identity). */
    public static SigningCommitments decode(Curve curve, int identifier, byte[] hiding, byte[] binding)
            throws FrostAbort {
        return new SigningCommitments(identifier, point(curve, identifier, hiding, "hiding"),
                point(curve, identifier, binding, "binding"));
    }

    public byte[] hidingBytes(Curve curve) {
        return curve.encodePoint(hiding);
    }

    public byte[] bindingBytes(Curve curve) {
        return curve.encodePoint(binding);
    }

    private static GroupElement point(Curve curve, int identifier, byte[] b, String which) throws FrostAbort {
        try {
            return curve.decodePoint(b);
        } catch (InvalidEncodingException e) {
            throw new FrostAbort(new FrostError.InvalidCommitment(identifier, which + ": " + e.getMessage()));
        }
    }
}
