package io.keyfed.party.session;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.party.dkg.Round1Verifier;

/**
 * Round-1 packages as transferable evidence: each party signs its round-1 digest once per session, in its token,
 * with its identity key; peers check it against the identity key the request's party snapshot registers.
 *
 * <pre>
 * sign bytes = CanonicalWriter("keyfed/dkg-round1/v1").bytes(session_id).u32(participant).bytes(digest)
 *   digest   = Dkg.round1Digest = SHA-256(lp("KEYFED-DKG-v1-echo") || lp(sid) || u16(k) || lp(Round1Package))
 *   (lp = u16 length prefix; CanonicalWriter: u32 length prefixes, big-endian)
 * signature  = ECDSA secp256k1 over SHA-256(sign bytes), 64 bytes R||S, low S (HsmToken.signIdentity)
 * </pre>
 */
public final class Round1Signatures {
    /** Domain of the sign bytes; no other message signed with the identity key uses it. */
    public static final String DOMAIN = "keyfed/dkg-round1/v1";

    private Round1Signatures() {
    }

    public static byte[] signBytes(byte[] sessionId, int participant, byte[] digest) {
        return new CanonicalWriter(DOMAIN).bytes(sessionId).u32(participant).bytes(digest).toByteArray();
    }

    /** The engine's check: participant k's signature, verified with k's identity key from the snapshot. */
    public static Round1Verifier verifier(SessionSpec spec) {
        byte[] sid = spec.sessionId().toBytes();
        return (k, digest, signature) -> k >= 1 && k <= spec.n()
                && Secp256k1.verify(spec.identityKey(spec.addressOf(k)), signBytes(sid, k, digest), signature);
    }
}
