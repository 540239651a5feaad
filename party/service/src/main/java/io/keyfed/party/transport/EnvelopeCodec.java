package io.keyfed.party.transport;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.api.party.v1.PeerEnvelope;

/**
 * Authenticates and encrypts {@link PeerEnvelope}s under {@link DirectionKeys}.
 *
 * <pre>
 * header = CanonicalWriter("keyfed/envelope/v1").u64(request_id).bytes(session_id).string(sender_addr)
 *          .string(recipient_addr).u32(kind)
 * auth   = HMAC-SHA256(macKey, header || u32 len(payload) || payload)        (every kind, static channel keys)
 * share ciphertext (in the kind-3 payload, see session.SignedShares)
 *        = IV(12, random) || AES-256-GCM(ShareKey, IV, aad = header of the kind-3 envelope, Round2Package bytes)
 * kind 4 payload = 32-byte confirmation digest (see KeyConfirmation), kind 5 payload = a complaint,
 * kind 6 payload = this session's ephemeral X25519 public key for the recipient (see session.EphemeralKeys)
 * kinds 16..19 (FROST signing: COMMIT, PACKAGE, SHARE, RESULT) = payloads of signing.SigningWire, under the
 * signing session's id; request_id is then a sign request's id
 * kinds 20..25 (DKLs23 signing: READY, PLAN, ROUND1, ROUND2, ROUND3, RESULT), likewise under the signing session's id
 * kinds 32, 33 (the DKLs23 pairwise setup between two parties: HELLO, ROUND)
 * </pre>
 *
 * The envelope's MAC is under the static channel keys ({@link DirectionKeys}); the share inside a round-2
 * envelope is encrypted under the session's ephemeral {@link ShareKey}, so the static keys alone never open it.
 */
public final class EnvelopeCodec {
    public static final int KIND_ROUND1 = 1;
    public static final int KIND_ECHO = 2;
    public static final int KIND_ROUND2 = 3;
    /** Key confirmation: the digest of the verified public outcome, sent once Dkg.finish succeeded. */
    public static final int KIND_CONFIRM = 4;
    /** Complaint: sent by a party that aborted, naming the culprit and the failed check. */
    public static final int KIND_COMPLAINT = 5;
    /** Ephemeral key: this session's X25519 public key for the recipient, sent together with round 1. */
    public static final int KIND_EPHEMERAL = 6;
    /** The highest kind of the DKG. */
    public static final int MAX_KIND = KIND_EPHEMERAL;
    /** FROST signing, COMMIT: a signer's commitments for one attempt, to the attempt's coordinator. */
    public static final int KIND_SIGN_COMMIT = 16;
    /** FROST signing, PACKAGE: the coordinator's signer set and commitment list, to every party. */
    public static final int KIND_SIGN_PACKAGE = 17;
    /** FROST signing, SHARE: a signer's signature shares for the attempt's package, to every party. */
    public static final int KIND_SIGN_SHARE = 18;
    /** FROST signing, RESULT: the aggregated, verified signatures, from the coordinator to every party. */
    public static final int KIND_SIGN_RESULT = 19;
    /** DKLs23 signing, READY: a signer's fresh session contribution for one attempt, to its coordinator. */
    public static final int KIND_DKLS_READY = 20;
    /** DKLs23 signing, PLAN: the coordinator's signer set and their contributions, to every party. */
    public static final int KIND_DKLS_PLAN = 21;
    /** DKLs23 signing, round 1 (signer to signer: its commitment and the multiplication's first message). */
    public static final int KIND_DKLS_ROUND1 = 22;
    /** DKLs23 signing, round 2 (signer to signer: the multiplication's answer and the openings). */
    public static final int KIND_DKLS_ROUND2 = 23;
    /** DKLs23 signing, round 3 (signer to signer: its signature share). */
    public static final int KIND_DKLS_ROUND3 = 24;
    /** DKLs23 signing, RESULT: the verified signatures, from a signer to every party. */
    public static final int KIND_DKLS_RESULT = 25;
    /** Pairwise setup (for DKLs23), HELLO: which stored setup the sender holds for the pair, if any. */
    public static final int KIND_PAIR_HELLO = 32;
    /** Pairwise setup (for DKLs23), one round of a fresh setup run (the round number is in the payload). */
    public static final int KIND_PAIR_ROUND = 33;

    /** The protocol an envelope kind belongs to. */
    public enum Protocol {
        DKG, FROST, DKLS, PAIRING
    }

    /** The protocol of {@code kind}, or null for a kind no protocol uses. */
    public static Protocol protocolOf(int kind) {
        if (kind >= KIND_ROUND1 && kind <= MAX_KIND) {
            return Protocol.DKG;
        }
        if (kind >= KIND_SIGN_COMMIT && kind <= KIND_SIGN_RESULT) {
            return Protocol.FROST;
        }
        if (kind >= KIND_DKLS_READY && kind <= KIND_DKLS_RESULT) {
            return Protocol.DKLS;
        }
        if (kind == KIND_PAIR_HELLO || kind == KIND_PAIR_ROUND) {
            return Protocol.PAIRING;
        }
        return null;
    }
    public static final int IV_LENGTH = 12;
    public static final int TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private EnvelopeCodec() {
    }

    public static byte[] header(long requestId, byte[] sessionId, String sender, String recipient, int kind) {
        return new CanonicalWriter("keyfed/envelope/v1").u64(requestId).bytes(sessionId).string(sender)
                .string(recipient).u32(kind).toByteArray();
    }

    private static byte[] header(PeerEnvelope e) {
        return header(e.getRequestId(), e.getSessionId().toByteArray(), e.getSenderAddr(), e.getRecipientAddr(),
                e.getKind());
    }

    static byte[] mac(DirectionKeys keys, byte[] header, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.macKey(), "HmacSHA256"));
            mac.update(header);
            mac.update(new byte[] { (byte) (payload.length >>> 24), (byte) (payload.length >>> 16),
                    (byte) (payload.length >>> 8), (byte) payload.length });
            mac.update(payload);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * Builds an authenticated envelope carrying {@code payload} as it is (a round-2 share must already be
     * encrypted: {@link #encryptShare}).
     */
    public static PeerEnvelope seal(DirectionKeys keys, long requestId, byte[] sessionId, String sender,
            String recipient, int kind, byte[] payload) {
        byte[] header = header(requestId, sessionId, sender, recipient, kind);
        return PeerEnvelope.newBuilder().setRequestId(requestId).setSessionId(ByteString.copyFrom(sessionId))
                .setSenderAddr(sender).setRecipientAddr(recipient).setKind(kind)
                .setPayload(ByteString.copyFrom(payload)).setAuth(ByteString.copyFrom(mac(keys, header, payload)))
                .build();
    }

    /** Whether the envelope's auth tag is valid under {@code keys} (constant-time comparison). */
    public static boolean authentic(DirectionKeys keys, PeerEnvelope e) {
        byte[] expected = mac(keys, header(e), e.getPayload().toByteArray());
        return MessageDigest.isEqual(expected, e.getAuth().toByteArray());
    }

    /**
     * Encrypts a round-2 share under {@code key} with {@code aad} = the header of the kind-3 envelope that will
     * carry it ({@link #header}); the caller wipes its own buffer.
     */
    public static byte[] encryptShare(ShareKey key, byte[] aad, byte[] plaintext) {
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.key(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad);
            byte[] body = c.doFinal(plaintext);
            byte[] out = Arrays.copyOf(iv, IV_LENGTH + body.length);
            System.arraycopy(body, 0, out, IV_LENGTH, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * Decrypts a share ciphertext made by {@link #encryptShare}; the caller owns (and wipes) the result.
     *
     * @throws GeneralSecurityException when the ciphertext is truncated or fails authentication
     */
    public static byte[] openShare(ShareKey key, byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
        if (ciphertext.length < IV_LENGTH + TAG_BITS / 8) {
            throw new GeneralSecurityException("encrypted share is truncated");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.key(), "AES"),
                new GCMParameterSpec(TAG_BITS, ciphertext, 0, IV_LENGTH));
        c.updateAAD(aad);
        return c.doFinal(ciphertext, IV_LENGTH, ciphertext.length - IV_LENGTH);
    }
}
