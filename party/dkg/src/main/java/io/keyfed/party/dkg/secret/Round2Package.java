package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * SECRET point-to-point package of FROST KeyGen round 2, step 1: "P_i securely sends to each other
 * participant P_ℓ a secret share (ℓ, f_i(ℓ))". The engine emits it in plaintext; the transport must
 * encrypt it to {@link #recipient()} and authenticate it, and deliver it decrypted.
 *
 * <p>Encoding: {@code u8 version=1 | u8 type=3 | u8 curve | u16 sender | u16 recipient | lp(sessionId, 32)
 * | lp(share, 32)}. {@link #encode()} returns a buffer holding the secret: wipe it after encryption.
 */
public final class Round2Package implements Destroyable {
    private final Curve curve;
    private final int sender;
    private final int recipient;
    private final SessionId sessionId;
    private final SecretScalars share;

    public Round2Package(Curve curve, int sender, int recipient, SessionId sessionId, BigInteger share) {
        this.curve = Objects.requireNonNull(curve);
        this.sender = sender;
        this.recipient = recipient;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.share = SecretScalars.of(curve, share, "round-2 package destroyed", "corrupt share");
    }

    public Curve curve() {
        return curve;
    }

    public int sender() {
        return sender;
    }

    public int recipient() {
        return recipient;
    }

    public SessionId sessionId() {
        return sessionId;
    }

    /** f_sender(recipient). */
    public BigInteger share() {
        return share.value(0);
    }

    public byte[] encode() {
        byte[] s = share.encoded(0);
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_ROUND2).u8(curve.id().wireId()).u16(sender).u16(recipient)
                .bytes(sessionId.toBytes()).bytes(s);
        byte[] out = w.toByteArray();
        w.wipe();
        return out;
    }

    /** Decodes a decrypted round-2 package from the authenticated participant {@code from}. */
    public static Round2Package decode(Curve curve, byte[] bytes, int from) throws DkgAbort {
        WireReader r = WireReader.open(bytes, Wire.MAX_MESSAGE_BYTES, from);
        r.header(Wire.VERSION, Wire.TYPE_ROUND2, curve.id().wireId());
        int sender = r.u16();
        int recipient = r.u16();
        SessionId sid = SessionId.of(r.bytes(SessionId.LENGTH, "session id"));
        byte[] s = r.bytes(curve.scalarLength(), "share");
        try {
            r.end();
            return new Round2Package(curve, sender, recipient, sid, curve.decodeScalar(s));
        } catch (InvalidEncodingException e) {
            throw new DkgAbort(new DkgError.InvalidScalar(from, "share"));
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }

    @Override
    public void destroy() {
        share.wipe();
    }

    @Override
    public boolean isDestroyed() {
        return share.isDestroyed();
    }

    @Override
    public String toString() {
        return "Round2Package[" + sender + " -> " + recipient + ", share REDACTED]";
    }
}
