package io.keyfed.party.session;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.function.IntFunction;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.ShareVerification;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.ShareKey;

/**
 * The evidence in a complaint about a round-2 share: what the accuser received from the accused (the
 * ciphertext and the accused's signed {@link ShareStatement}) and the accuser's ephemeral X25519 secret of that
 * pair, which its aborted session no longer needs. With it, every other party can decrypt the share and check
 * it against the accused's round-1 commitments ({@link #judge}). A false complaint then blames the accuser, a
 * true one the accused.
 *
 * <pre>
 * evidence = u8 version (1) | signed share (the kind-3 payload as received, see SignedShare) | u16 32 | secret
 * </pre>
 */
public final class ComplaintEvidence {
    public static final int VERSION = 1;
    public static final int MAX_BYTES = 1 + SignedShare.MAX_BYTES + 2 + EphemeralKeys.KEY_LENGTH;

    private final SignedShare share;
    private final byte[] accuserSecret;

    /**
     * Not a record: it carries a secret (revealed on purpose by a complaint, but never printed or compared).
     * Takes ownership of {@code accuserSecret}: {@link #destroy()} wipes it.
     */
    public ComplaintEvidence(SignedShare share, byte[] accuserSecret) {
        this.share = share;
        this.accuserSecret = accuserSecret;
    }

    /** The accused's signed share, as the accuser received it. */
    public SignedShare share() {
        return share;
    }

    /** The accuser's ephemeral X25519 secret of the pair: the evidence's own buffer, wiped by {@link #destroy()}. */
    public byte[] accuserSecret() {
        return accuserSecret;
    }

    /** Wipes the secret once the evidence was encoded or judged. */
    public void destroy() {
        java.util.Arrays.fill(accuserSecret, (byte) 0);
    }

    /**
     * Who is to blame: the sender ({@code senderFault} set), the accuser ({@code accuserFault} set), or, when this
     * party cannot judge the share yet, no one ({@code undecided} set).
     */
    public record Verdict(DkgError senderFault, String accuserFault, String undecided) {
    }

    public byte[] encode() {
        WireWriter w = new WireWriter().u8(VERSION);
        share.write(w);
        w.bytes(accuserSecret);
        return w.toByteArray();
    }

    /** Decodes evidence of a session of {@code n} participants; malformed input blames {@code from}. */
    public static ComplaintEvidence decode(byte[] bytes, int n, int from) throws DkgAbort {
        WireReader r = WireReader.open(bytes, MAX_BYTES, from);
        int v = r.u8();
        if (v != VERSION) {
            throw r.malformed("unsupported evidence version " + v);
        }
        SignedShare s = SignedShare.read(r, n);
        byte[] secret = r.bytes(EphemeralKeys.KEY_LENGTH, "ephemeral secret");
        r.end();
        return new ComplaintEvidence(s, secret);
    }

    /**
     * Judges participant {@code accuser}'s complaint that {@code accused} sent it a bad share. The accuser is to
     * blame when the evidence is malformed, not signed by the accused, not bound to the accuser's revealed secret,
     * or when the share opens and passes every check of {@code Dkg.finish}; the accused is to blame when its
     * signed ciphertext does not decrypt under the key the statement fixes, or the share in it fails a check; no
     * one when the share opens but this party does not hold the accused's commitments to check it against.
     * {@code packages} gives a participant's round-1 package as this party holds it (null when it has none).
     */
    static Verdict judge(SessionSpec spec, int accuser, int accused, byte[] evidence,
            IntFunction<Round1Package> packages) {
        ComplaintEvidence ev;
        try {
            ev = decode(evidence, spec.n(), accuser);
        } catch (DkgAbort e) {
            return accuser("its evidence does not decode (" + e.error().check() + ")");
        }
        try {
            return judge(spec, accuser, accused, ev, packages);
        } finally {
            ev.destroy();
        }
    }

    private static Verdict judge(SessionSpec spec, int accuser, int accused, ComplaintEvidence ev,
            IntFunction<Round1Package> packages) {
        ShareStatement st = ev.share().statement();
        if (accused == 0 || accused == accuser || st.sender() != accused) {
            return accuser("its evidence is a statement of participant " + st.sender() + ", not of the accused");
        }
        ShareStatement.Entry entry = st.entryFor(accuser);
        if (entry == null) {
            return accuser("the statement in its evidence has no entry for it");
        }
        String sender = spec.addressOf(accused);
        String recipient = spec.addressOf(accuser);
        byte[] sid = spec.sessionId().toBytes();
        if (!Secp256k1.verify(spec.identityKey(sender), st.signBytes(sid, sender), ev.share().signature())) {
            return accuser("the statement in its evidence is not signed by the accused");
        }
        if (!java.security.MessageDigest.isEqual(SignedShare.hash(ev.share().ciphertext()), entry.ciphertextHash())) {
            return accuser("the ciphertext in its evidence is not the one the accused signed");
        }
        if (!EphemeralKeys.matches(ev.accuserSecret(), entry.recipientKey())) {
            return accuser("the ephemeral secret it revealed is not the one of the key the accused encrypted to");
        }
        byte[] shared = EphemeralKeys.agree(ev.accuserSecret(), entry.senderKey());
        if (shared == null) {
            return sender(new DkgError.InvalidPoint(accused, "ephemeral public key"));
        }
        ShareKey key = ShareKey.derive(shared, sid, sender, recipient, entry.senderKey(), entry.recipientKey());
        Arrays.fill(shared, (byte) 0);
        byte[] plain;
        try {
            plain = EnvelopeCodec.openShare(key, EnvelopeCodec.header(spec.requestId(), sid, sender, recipient,
                    EnvelopeCodec.KIND_ROUND2), ev.share().ciphertext());
        } catch (GeneralSecurityException e) {
            return sender(new DkgError.MalformedMessage(accused, "encrypted share does not decrypt"));
        } finally {
            key.destroy();
        }
        Round2Package share = null;
        try {
            share = Round2Package.decode(spec.curve(), plain, accused);
            Round1Package commitments = packages.apply(accused);
            if (commitments == null) {
                // Not the accuser's fault: a cheating sender can send its bad share before its round-1 package
                // reached this party. Without the commitments the share cannot be judged here.
                return new Verdict(null, null, "this party does not hold the accused's round-1 package yet");
            }
            ShareVerification.verify(commitments, accuser, spec.sessionId(), share);
            return accuser("the share it complains about decrypts and matches the accused's commitments");
        } catch (DkgAbort e) {
            return sender(e.error());
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (share != null) {
                share.destroy();
            }
        }
    }

    private static Verdict accuser(String why) {
        return new Verdict(null, why, null);
    }

    private static Verdict sender(DkgError e) {
        return new Verdict(e, null, null);
    }

    @Override
    public String toString() {
        return "ComplaintEvidence[" + share + ", secret REDACTED]";
    }
}
