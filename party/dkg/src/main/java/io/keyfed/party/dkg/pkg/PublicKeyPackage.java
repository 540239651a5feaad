package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Public output of a successful DKG: the group public key Y = Σ_j C_j,0 and every participant's
 * verification share Y_j = Σ_l Σ_k j^k·C_l,k (= s_j·G). Identical at every honest party.
 *
 * <p>Storage encoding ({@link #encode()}):
 * {@code u8 version=1 | u8 type=4 | u8 curve | lp(sessionId, 32) | u16 t | u16 n | lp(Y) | n × lp(Y_j)}.
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

    /** Wire type byte of the storage encoding. */
    public static final int TYPE = 4;

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(TYPE).u8(curve.id().wireId()).bytes(sessionId.toBytes()).u16(threshold)
                .u16(verificationShares.size()).bytes(curve.encodePoint(groupKey));
        for (GroupElement y : verificationShares) {
            w.bytes(curve.encodePoint(y));
        }
        return w.toByteArray();
    }

    /**
     * Decodes a stored package, validating every point. {@code owner} is reported as culprit on failure
     * (use the local party's own identifier for data read back from its own store).
     */
    public static PublicKeyPackage decode(Curve curve, byte[] bytes, int owner) throws DkgAbort {
        WireReader r = WireReader.open(bytes, Wire.MAX_MESSAGE_BYTES, owner);
        r.header(Wire.VERSION, TYPE, curve.id().wireId());
        SessionId sid = SessionId.of(r.bytes(SessionId.LENGTH, "session id"));
        int t = r.u16();
        int n = r.u16();
        if (n < 1 || n > Wire.MAX_PARTICIPANTS || t < 1 || t > n) {
            throw r.malformed("threshold or participant count out of range");
        }
        GroupElement y = point(curve, r, "group key");
        List<GroupElement> ys = new ArrayList<>(n);
        for (int j = 1; j <= n; j++) {
            ys.add(point(curve, r, "verification share " + j));
        }
        r.end();
        return new PublicKeyPackage(curve, sid, t, y, ys);
    }

    private static GroupElement point(Curve curve, WireReader r, String field) throws DkgAbort {
        byte[] b = r.bytes(curve.pointLength(), field);
        try {
            return curve.decodePoint(b);
        } catch (InvalidEncodingException e) {
            throw new DkgAbort(new DkgError.InvalidPoint(r.from(), field + ": " + e.getMessage()));
        }
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
