package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Round-1 broadcast of participant i (Komlo–Goldberg, FROST KeyGen round 1, steps 2–4):
 * the Feldman commitments C_i = (C_i,0, ..., C_i,t−1) with C_i,k = a_i,k·G, and the Schnorr proof of
 * knowledge σ_i = (R_i, μ_i) of a_i,0.
 *
 * <p>Encoding (big-endian; lp = u16 length prefix):
 * <pre>
 *   u8 version=1 | u8 type=1 | u8 curve | u16 sender | lp(sessionId, 32)
 *   | u16 count | count × lp(point) | lp(R) | lp(μ)
 * </pre>
 * Points are the curve's canonical encodings (33 bytes secp256k1, 32 bytes ed25519); μ is a scalar
 * (32 bytes). The encoding is the canonical input to the echo hash.
 */
public final class Round1Package {
    private final Curve curve;
    private final int sender;
    private final SessionId sessionId;
    private final List<GroupElement> commitments;
    private final GroupElement proofR;
    private final Scalar proofMu;

    public Round1Package(Curve curve, int sender, SessionId sessionId, List<GroupElement> commitments,
                         GroupElement proofR, Scalar proofMu) {
        this.curve = Objects.requireNonNull(curve);
        this.sender = sender;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.commitments = List.copyOf(commitments);
        this.proofR = Objects.requireNonNull(proofR);
        this.proofMu = Objects.requireNonNull(proofMu);
    }

    public Curve curve() {
        return curve;
    }

    public int sender() {
        return sender;
    }

    public SessionId sessionId() {
        return sessionId;
    }

    /** C_i,0 .. C_i,t−1 (index k is the commitment to a_i,k). */
    public List<GroupElement> commitments() {
        return commitments;
    }

    /** R_i = k·G of the proof of knowledge. */
    public GroupElement proofR() {
        return proofR;
    }

    /** μ_i = k + a_i,0·c_i of the proof of knowledge. */
    public Scalar proofMu() {
        return proofMu;
    }

    public byte[] encode() {
        if (commitments.size() > Wire.MAX_PARTICIPANTS) {
            throw new IllegalStateException("too many commitments to encode");
        }
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_ROUND1).u8(curve.id().wireId()).u16(sender).bytes(sessionId.toBytes());
        w.u16(commitments.size());
        for (GroupElement c : commitments) {
            w.bytes(curve.encodePoint(c));
        }
        w.bytes(curve.encodePoint(proofR));
        w.bytes(curve.encodeScalar(proofMu));
        return w.toByteArray();
    }

    /**
     * Decodes and validates a round-1 package received from the authenticated participant {@code from}
     * (the culprit for any failure). Every point is validated by {@link Curve#decodePoint}; μ must be
     * below the group order. Sender, session and commitment count against the parameters are checked by
     * the round function.
     */
    public static Round1Package decode(Curve curve, byte[] bytes, int from) throws DkgAbort {
        WireReader r = WireReader.open(bytes, Wire.MAX_MESSAGE_BYTES, from);
        r.header(Wire.VERSION, Wire.TYPE_ROUND1, curve.id().wireId());
        int sender = r.u16();
        SessionId sid = SessionId.of(r.bytes(SessionId.LENGTH, "session id"));
        int count = r.u16();
        if (count > Wire.MAX_PARTICIPANTS) {
            throw new DkgAbort(new DkgError.InvalidCommitmentCount(from, Wire.MAX_PARTICIPANTS, count));
        }
        List<GroupElement> cs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            cs.add(point(curve, r, "commitment " + k));
        }
        GroupElement rr = point(curve, r, "proof R");
        byte[] mu = r.bytes(curve.scalarLength(), "proof mu");
        r.end();
        Scalar muVal;
        try {
            muVal = curve.decodeScalar(mu);
        } catch (InvalidEncodingException e) {
            throw new DkgAbort(new DkgError.InvalidScalar(from, "proof mu"));
        }
        return new Round1Package(curve, sender, sid, cs, rr, muVal);
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
    public String toString() {
        return "Round1Package[sender=" + sender + ", t=" + commitments.size() + ", curve=" + curve.id() + "]";
    }
}
