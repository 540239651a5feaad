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
 * round-1 package this sender holds for k (its own included), and k's signature over that digest as it came
 * with the package. Per-sender digests let a receiver name which participant's round-1 broadcast is disputed;
 * the signature makes a disputing entry evidence: a second digest signed by k proves k equivocated, a digest
 * without k's signature proves the echo's sender lied.
 *
 * <p>Encoding: {@code u8 version=1 | u8 type=2 | u8 curve | u16 sender | lp(sessionId, 32) | u16 n |
 * n × (32-byte digest | lp(signature, 1..64))}.
 */
public final class EchoPackage {
    public static final int DIGEST_LENGTH = 32;

    /** What an echo says about one participant's round-1 package: its digest and the signature over it. */
    public static final class Entry {
        private final byte[] digest;
        private final byte[] signature;

        public Entry(byte[] digest, byte[] signature) {
            if (digest.length != DIGEST_LENGTH) {
                throw new IllegalArgumentException("digest must be 32 bytes");
            }
            if (signature.length < 1 || signature.length > Wire.MAX_SIGNATURE_BYTES) {
                throw new IllegalArgumentException("signature must be 1.." + Wire.MAX_SIGNATURE_BYTES + " bytes");
            }
            this.digest = digest.clone();
            this.signature = signature.clone();
        }

        public byte[] digest() {
            return digest.clone();
        }

        public byte[] signature() {
            return signature.clone();
        }
    }

    private final Curve curve;
    private final int sender;
    private final SessionId sessionId;
    private final List<Entry> entries;

    public EchoPackage(Curve curve, int sender, SessionId sessionId, List<Entry> entries) {
        this.curve = Objects.requireNonNull(curve);
        this.sender = sender;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.entries = List.copyOf(entries);
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
        return entries.size();
    }

    /** The entry about participant k's round-1 package (k = 1..n). */
    public Entry entry(int k) {
        return entries.get(k - 1);
    }

    /** Digest of participant k's round-1 package (k = 1..n). */
    public byte[] digest(int k) {
        return entries.get(k - 1).digest();
    }

    /** Participant k's signature over {@link #digest(int)} (k = 1..n). */
    public byte[] signature(int k) {
        return entries.get(k - 1).signature();
    }

    public byte[] encode() {
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_ECHO).u8(curve.id().wireId()).u16(sender).bytes(sessionId.toBytes());
        w.u16(entries.size());
        for (Entry e : entries) {
            w.raw(e.digest).bytes(e.signature);
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
        List<Entry> es = new ArrayList<>(count);
        for (int k = 1; k <= count; k++) {
            byte[] d = r.raw(DIGEST_LENGTH, "digest " + k);
            es.add(new Entry(d, r.bytesUpTo(Wire.MAX_SIGNATURE_BYTES, "signature " + k)));
        }
        r.end();
        return new EchoPackage(curve, sender, sid, es);
    }

    @Override
    public String toString() {
        return "EchoPackage[sender=" + sender + ", n=" + entries.size() + "]";
    }
}
