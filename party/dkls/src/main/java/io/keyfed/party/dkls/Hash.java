package io.keyfed.party.dkls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with domain separation: H(label, parts...) = SHA-256(len(tag) ‖ tag ‖ len(p_1) ‖ p_1 ‖ ...), with
 * tag = "keyfed/dkls23/v1/" ‖ label and every length a 4-byte big-endian integer, so no two inputs of
 * different shape collide. This is the random oracle of every step of the module.
 */
final class Hash {
    static final String PREFIX = "keyfed/dkls23/v1/";
    static final int LEN = 32;

    private Hash() {}

    static byte[] of(String label, byte[]... parts) {
        MessageDigest md = sha256();
        update(md, (PREFIX + label).getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            update(md, p);
        }
        return md.digest();
    }

    static byte[] u32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static void update(MessageDigest md, byte[] p) {
        md.update(u32(p.length));
        md.update(p);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** a ⊕ b into a new array (equal lengths). */
    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    /** Constant-time select: {@code bit == 0 ? a : b} (bit is 0 or 1), into a new array. */
    static byte[] select(int bit, byte[] a, byte[] b) {
        byte mask = (byte) -bit;
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ ((a[i] ^ b[i]) & mask));
        }
        return out;
    }
}
