package io.keyfed.party.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.keyfed.api.encoding.CanonicalWriter;

/**
 * The payloads of the key-confirmation round: CONFIRM (kind 4) and COMPLAINT (kind 5). Both are public
 * data; the envelope's HMAC authenticates them like every other kind.
 *
 * <pre>
 * confirm digest = SHA-256(CanonicalWriter("keyfed/key-confirm/v1").bytes(session id).bytes(group public key)
 *                          .bytes(PublicKeyPackage.encode()))          (32 bytes; the package holds Y_1..Y_n in id order)
 * complaint      = 01 | u16 culprit (0 = no single party) | u8 len | check (1..32 chars of [a-z_])
 * complaint with evidence (about a received round-2 share)
 *                = 02 | u16 culprit | u8 len | check | evidence (the rest, see ComplaintEvidence)
 * </pre>
 *
 * A complaint without evidence only reports what its sender says: its receivers abort but blame no one. A
 * complaint with evidence is judged by every receiver, and blames the accused or the accuser.
 */
public final class KeyConfirmation {
    public static final int DIGEST_LENGTH = 32;
    public static final int MAX_CHECK_LENGTH = 32;
    private static final int COMPLAINT_VERSION = 1;
    private static final int EVIDENCE_VERSION = 2;

    private KeyConfirmation() {
    }

    /** The digest over the verified public outcome that every party must confirm. */
    public static byte[] digest(byte[] sessionId, byte[] groupPublicKey, byte[] publicKeyPackage) {
        byte[] input = new CanonicalWriter("keyfed/key-confirm/v1").bytes(sessionId).bytes(groupPublicKey)
                .bytes(publicKeyPackage).toByteArray();
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Tells every peer in {@code peers} whose channel keys exist why this party aborted: {@code culprit}, the
     * failed {@code check}, and the {@code evidence} against the culprit (null when there is none).
     */
    static void complain(SessionOutbox outbox, java.util.Set<String> peers, int culprit, String check,
            byte[] evidence) {
        byte[] payload = encodeComplaint(culprit, check, evidence);
        for (String peer : peers) {
            if (outbox.hasChannel(peer)) {
                outbox.send(peer, io.keyfed.party.transport.EnvelopeCodec.KIND_COMPLAINT, payload);
            }
        }
    }

    /**
     * A complaint naming {@code culprit} (participant id, 0 for none) and the failed {@code check}, with
     * {@code evidence} (encoded {@link ComplaintEvidence}) or null.
     */
    public record Complaint(int culprit, String check, byte[] evidence) {
        public Complaint(int culprit, String check) {
            this(culprit, check, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Complaint c && c.culprit == culprit && c.check.equals(check)
                    && java.util.Arrays.equals(c.evidence, evidence);
        }

        @Override
        public int hashCode() {
            return culprit * 31 + check.hashCode();
        }

        @Override
        public String toString() {
            return "Complaint[" + culprit + ", " + check + (evidence == null ? "" : ", with evidence") + "]";
        }
    }

    public static byte[] encodeComplaint(int culprit, String check) {
        return encodeComplaint(culprit, check, null);
    }

    /** A complaint carrying {@code evidence} (null: none, the version-1 layout). */
    public static byte[] encodeComplaint(int culprit, String check, byte[] evidence) {
        String c = validCheck(check) ? check : "unspecified";
        byte[] text = c.getBytes(StandardCharsets.US_ASCII);
        int extra = evidence == null ? 0 : evidence.length;
        byte[] out = new byte[4 + text.length + extra];
        out[0] = (byte) (evidence == null ? COMPLAINT_VERSION : EVIDENCE_VERSION);
        out[1] = (byte) (culprit >>> 8);
        out[2] = (byte) culprit;
        out[3] = (byte) text.length;
        System.arraycopy(text, 0, out, 4, text.length);
        if (evidence != null) {
            System.arraycopy(evidence, 0, out, 4 + text.length, evidence.length);
        }
        return out;
    }

    /** @return the complaint, or {@code null} when the payload is malformed or names an id outside 0..n */
    public static Complaint decodeComplaint(byte[] payload, int n) {
        if (payload.length < 5 || (payload[0] != COMPLAINT_VERSION && payload[0] != EVIDENCE_VERSION)) {
            return null;
        }
        boolean withEvidence = payload[0] == EVIDENCE_VERSION;
        int culprit = ((payload[1] & 0xff) << 8) | (payload[2] & 0xff);
        int len = payload[3] & 0xff;
        if (culprit > n || (withEvidence ? len >= payload.length - 4 : len != payload.length - 4)) {
            return null;
        }
        String check = new String(payload, 4, len, StandardCharsets.US_ASCII);
        byte[] evidence = withEvidence ? java.util.Arrays.copyOfRange(payload, 4 + len, payload.length) : null;
        return validCheck(check) ? new Complaint(culprit, check, evidence) : null;
    }

    private static boolean validCheck(String check) {
        if (check == null || check.isEmpty() || check.length() > MAX_CHECK_LENGTH) {
            return false;
        }
        for (int i = 0; i < check.length(); i++) {
            char ch = check.charAt(i);
            if ((ch < 'a' || ch > 'z') && ch != '_') {
                return false;
            }
        }
        return true;
    }
}
