package io.keyfed.api.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The encoding the session ids share ({@link DkgSessionId}, {@link SignSessionId}): {@code lp(x)} is a 2-byte
 * big-endian length and the bytes of x (at most 65535), integers are big-endian, the ordered snapshot is
 * {@code u16(n) lp(party_1) ... lp(party_n)} followed by {@code u16(t)}, and the id is SHA-256 of it all.
 */
final class SessionIdEncoding {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Starts the encoding with {@code lp(domain)}. */
    SessionIdEncoding(String domain) {
        lp(domain);
    }

    /**
     * Checks an ordered snapshot and its threshold: 1..{@value DkgSessionId#MAX_PARTIES} parties, strictly
     * ascending byte-wise over UTF-8, 1 &lt;= t &lt;= n.
     */
    static void requireSnapshot(List<String> parties, int threshold) {
        int n = parties.size();
        if (n < 1 || n > DkgSessionId.MAX_PARTIES) {
            throw new IllegalArgumentException("participant count out of range");
        }
        if (threshold < 1 || threshold > n) {
            throw new IllegalArgumentException("threshold out of range");
        }
        DkgSessionId.requireSorted(parties);
    }

    SessionIdEncoding lp(String s) {
        return lp(utf8(s));
    }

    SessionIdEncoding lp(byte[] b) {
        u16(b.length);
        out.writeBytes(b);
        return this;
    }

    SessionIdEncoding u16(int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
        return this;
    }

    SessionIdEncoding u64(long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    /** {@code u16(n) lp(party_1) ... lp(party_n) u16(t)}; check them first with {@link #requireSnapshot}. */
    SessionIdEncoding snapshot(List<String> parties, int threshold) {
        u16(parties.size());
        for (String p : parties) {
            lp(p);
        }
        return u16(threshold);
    }

    /** SHA-256 of the encoding. */
    byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string too long");
        }
        return b;
    }
}
