package io.keyfed.party.dkg.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Canonical big-endian writer: u8, u16, and u16-length-prefixed byte strings. {@link #wipe()} zeroes the
 * internal buffer (used when the content is secret).
 */
public final class WireWriter {
    private byte[] buf = new byte[128];
    private int len;

    public WireWriter u8(int v) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException("u8 out of range");
        }
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException("u16 out of range");
        }
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public WireWriter u64(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** u16 length followed by the bytes. */
    public WireWriter bytes(byte[] b) {
        u16(b.length);
        return raw(b);
    }

    public WireWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    public void wipe() {
        Arrays.fill(buf, (byte) 0);
        len = 0;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            byte[] nb = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            Arrays.fill(buf, (byte) 0);
            buf = nb;
        }
    }

    /** Hides content in debuggers / logs. */
    @Override
    public String toString() {
        return "WireWriter[" + len + " bytes]";
    }
}
