package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import java.util.List;
import java.util.Objects;

/**
 * Public output of a successful DKG: the group public key Y = Σ_j C_j,0 and every participant's
 * verification share Y_j = Σ_l Σ_k j^k·C_l,k (= s_j·G). Identical at every honest party.
 */
public final class PublicKeyPackage {
    private final Curve curve;
    private final SessionId sessionId;
    private final int threshold;
    private final GroupElement groupKey;
    private final List<GroupElement> verificationShares;

    public PublicKeyPackage(Curve curve, SessionId sessionId, int threshold, GroupElement groupKey,
                            List<GroupElement> verificationShares) {
        this.curve = Objects.requireNonNull(curve);
        this.sessionId = Objects.requireNonNull(sessionId);
        this.threshold = threshold;
        this.groupKey = Objects.requireNonNull(groupKey);
        this.verificationShares = List.copyOf(verificationShares);
    }

    public Curve curve() {
        return curve;
    }

    public SessionId sessionId() {
        return sessionId;
    }

    public int threshold() {
        return threshold;
    }

    public int n() {
        return verificationShares.size();
    }

    /** Y as a group element. */
    public GroupElement groupKey() {
        return groupKey;
    }

    /** Y encoded as the key type's public key (33-byte compressed secp256k1 / 32-byte ed25519). */
    public byte[] groupPublicKey() {
        return curve.encodePublicKey(groupKey);
    }

    /** Y_j for participant j = 1..n. */
    public GroupElement verificationShare(int j) {
        return verificationShares.get(j - 1);
    }

    /** Encoded Y_j for participant j = 1..n. */
    public byte[] verificationShareBytes(int j) {
        return curve.encodePoint(verificationShare(j));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeyPackage p && curve.id() == p.curve.id() && sessionId.equals(p.sessionId)
                && threshold == p.threshold && groupKey.equals(p.groupKey)
                && verificationShares.equals(p.verificationShares);
    }

    @Override
    public int hashCode() {
        return groupKey.hashCode();
    }

    @Override
    public String toString() {
        return "PublicKeyPackage[curve=" + curve.id() + ", t=" + threshold + ", n=" + n() + ", Y=" + groupKey + "]";
    }
}
