package io.keyfed.api.encoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Unambiguous byte encoding for signed payloads: fixed-width big-endian integers and
 * 4-byte-length-prefixed byte strings, so no two field lists encode to the same bytes.
 */
public final class CanonicalWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public CanonicalWriter(String domain) {
        bytes(domain.getBytes(StandardCharsets.US_ASCII));
    }

    public CanonicalWriter bytes(byte[] b) {
        byte[] v = b == null ? new byte[0] : b;
        u32(v.length);
        out.writeBytes(v);
        return this;
    }

    public CanonicalWriter string(String s) {
        return bytes(s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalWriter u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    public CanonicalWriter u32(long v) {
        for (int i = 3; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    public CanonicalWriter u64(long v) {
        for (int i = 7; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
