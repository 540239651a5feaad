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
 * </pre>
 */
public final class KeyConfirmation {
    public static final int DIGEST_LENGTH = 32;
    public static final int MAX_CHECK_LENGTH = 32;
    private static final int COMPLAINT_VERSION = 1;

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

    /** A complaint naming {@code culprit} (participant id, 0 for none) and the failed {@code check}. */
    public record Complaint(int culprit, String check) {
    }

    public static byte[] encodeComplaint(int culprit, String check) {
        String c = validCheck(check) ? check : "unspecified";
        byte[] text = c.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[4 + text.length];
        out[0] = COMPLAINT_VERSION;
        out[1] = (byte) (culprit >>> 8);
        out[2] = (byte) culprit;
        out[3] = (byte) text.length;
        System.arraycopy(text, 0, out, 4, text.length);
        return out;
    }

    /** @return the complaint, or {@code null} when the payload is malformed or names an id outside 0..n */
    public static Complaint decodeComplaint(byte[] payload, int n) {
        if (payload.length < 5 || payload[0] != COMPLAINT_VERSION) {
            return null;
        }
        int culprit = ((payload[1] & 0xff) << 8) | (payload[2] & 0xff);
        int len = payload[3] & 0xff;
        if (culprit > n || len != payload.length - 4) {
            return null;
        }
        String check = new String(payload, 4, len, StandardCharsets.US_ASCII);
        return validCheck(check) ? new Complaint(culprit, check) : null;
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
