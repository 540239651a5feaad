package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
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

    /** Holds a copy of {@code share}; the caller destroys its own. */
    public Round2Package(Curve curve, int sender, int recipient, SessionId sessionId, Scalar share) {
        this.curve = Objects.requireNonNull(curve);
        this.sender = sender;
        this.recipient = recipient;
        this.sessionId = Objects.requireNonNull(sessionId);
        this.share = SecretScalars.copyOf(share, "round-2 package destroyed");
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

    /** f_sender(recipient): the held scalar itself, destroyed with this package (do not destroy or keep it). */
    public Scalar share() {
        return share.value(0);
    }

    public byte[] encode() {
        byte[] s = curve.encodeScalar(share.value(0));
        WireWriter w = new WireWriter();
        w.u8(Wire.VERSION).u8(Wire.TYPE_ROUND2).u8(curve.id().wireId()).u16(sender).u16(recipient)
                .bytes(sessionId.toBytes()).bytes(s);
        byte[] out = w.toByteArray();
        w.wipe();
        Arrays.fill(s, (byte) 0);
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
        Scalar share = null;
        try {
            r.end();
            share = curve.decodeScalar(s);
            return new Round2Package(curve, sender, recipient, sid, share);
        } catch (InvalidEncodingException e) {
            throw new DkgAbort(new DkgError.InvalidScalar(from, "share"));
        } finally {
            Arrays.fill(s, (byte) 0);
            if (share != null) {
                share.destroy();
            }
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
