package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Echo broadcast: for each participant k = 1..n in identifier order, the digest
 * {@code SHA-256(lp("KEYFED-DKG-v1-echo") || lp(sessionId) || u16(k) || lp(encode(round1_k)))} of the
 * round-1 package this sender holds for k (its own included). Per-sender digests let a receiver name which
 * participant's round-1 broadcast is disputed.
 *
 * <p>Encoding: {@code u8 version=1 | u8 type=2 | u8 curve | u16 sender | lp(sessionId, 32) | u16 n | n × 32 bytes}.
 */
public final class EchoPackage {
    public static final int DIGEST_LENGTH = 32;

    private final Curve curve;
    private final int sender;
    private final SessionId sessionId;
    private final List<byte[]> digests;

    public EchoPackage(Curve curve, int sender, SessionId sessionId, List<byte[]> digests) {
        this.curve = Objects.requireNonNull(curve);
        this.sender = sender;
        this.sessionId = Objects.requireNonNull(sessionId);
        List<byte[]> copy = new ArrayList<>(digests.size());
        for (byte[] d : digests) {
            if (d.length != DIGEST_LENGTH) {
                throw new IllegalArgumentException("digest must be 32 bytes");
            }
            copy.add(d.clone());
        }
        this.digests = List.copyOf(copy);
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

    public int digestCount() {
        return digests.size();
    }

    /** Digest of participant k's round-1 package (k = 1..n). */
    public byte[] digest(int k) {
        return digests.get(k - 1).clone();
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_ECHO).u8(curve.id().wireId()).u16(sender).bytes(sessionId.toBytes());
        w.u16(digests.size());
        for (byte[] d : digests) {
            w.raw(d);
        }
        return w.toByteArray();
    }

    public static EchoPackage decode(Curve curve, byte[] bytes, int from) throws DkgAbort {
        WireReader r = WireReader.open(bytes, Wire.MAX_MESSAGE_BYTES, from);
        r.header(Wire.VERSION, Wire.TYPE_ECHO, curve.id().wireId());
        int sender = r.u16();
        SessionId sid = SessionId.of(r.bytes(SessionId.LENGTH, "session id"));
        int count = r.u16();
        if (count < 1 || count > Wire.MAX_PARTICIPANTS) {
            throw r.malformed("digest count " + count + " out of range");
        }
        List<byte[]> ds = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            ds.add(r.raw(DIGEST_LENGTH, "digest " + (k + 1)));
        }
        r.end();
        return new EchoPackage(curve, sender, sid, ds);
    }

    @Override
    public String toString() {
        return "EchoPackage[sender=" + sender + ", n=" + digests.size() + "]";
    }
}
