package io.keyfed.party.frost;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, SHA-512 and BIP-340 tagged hashes over concatenated parts. */
final class Hashes {
    private Hashes() {
    }

    static byte[] sha256(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    static byte[] sha512(byte[]... parts) {
        return digest("SHA-512", parts);
    }

    /** BIP-340: SHA-256(SHA-256(tag) || SHA-256(tag) || parts). */
    static byte[] tagged(String tag, byte[]... parts) {
        byte[] t = sha256(tag.getBytes(StandardCharsets.US_ASCII));
        MessageDigest h = md("SHA-256");
        h.update(t);
        h.update(t);
        for (byte[] p : parts) {
            h.update(p);
        }
        return h.digest();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] digest(String alg, byte[]... parts) {
        MessageDigest h = md(alg);
        for (byte[] p : parts) {
            h.update(p);
        }
        return h.digest();
    }

    private static MessageDigest md(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
