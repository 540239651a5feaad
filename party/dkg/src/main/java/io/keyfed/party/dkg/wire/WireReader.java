package io.keyfed.party.dkg.wire;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import java.util.Arrays;

/**
 * Bounded reader for the canonical encodings. Every failure is a {@link DkgAbort} naming the
 * authenticated sender ({@code from}) as the culprit.
 */
public final class WireReader {
    private final byte[] data;
    private final int from;
    private int pos;

    private WireReader(byte[] data, int from) {
        this.data = data;
        this.from = from;
    }

    /** Rejects {@code null} and anything longer than {@code maxLength} before parsing. */
    public static WireReader open(byte[] data, int maxLength, int from) throws DkgAbort {
        if (data == null) {
            throw new DkgAbort(new DkgError.MalformedMessage(from, "no data"));
        }
        if (data.length > maxLength) {
            throw new DkgAbort(new DkgError.OversizedMessage(from, data.length, maxLength));
        }
        return new WireReader(data, from);
    }

    public int from() {
        return from;
    }

    public int u8() throws DkgAbort {
        need(1, "u8");
        return data[pos++] & 0xFF;
    }

    public int u16() throws DkgAbort {
        need(2, "u16");
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    /** A u16-length-prefixed byte string whose length must equal {@code exactLength}. */
    public byte[] bytes(int exactLength, String field) throws DkgAbort {
        int n = u16();
        if (n != exactLength) {
            throw malformed(field + " has length " + n + ", expected " + exactLength);
        }
        need(n, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A u16-length-prefixed byte string of 1..{@code maxLength} bytes. */
    public byte[] bytesUpTo(int maxLength, String field) throws DkgAbort {
        int n = u16();
        if (n < 1 || n > maxLength) {
            throw malformed(field + " has length " + n + ", expected 1.." + maxLength);
        }
        need(n, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    public byte[] raw(int n, String field) throws DkgAbort {
        need(n, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Version, message type and curve header. */
    public void header(int version, int type, int curveWireId) throws DkgAbort {
        int v = u8();
        if (v != version) {
            throw malformed("unsupported version " + v);
        }
        int t = u8();
        if (t != type) {
            throw malformed("unexpected message type " + t);
        }
        int c = u8();
        if (c != curveWireId) {
            throw malformed("unexpected curve " + c);
        }
    }

    public void end() throws DkgAbort {
        if (pos != data.length) {
            throw malformed((data.length - pos) + " trailing bytes");
        }
    }

    public DkgAbort malformed(String reason) {
        return new DkgAbort(new DkgError.MalformedMessage(from, reason));
    }

    private void need(int n, String field) throws DkgAbort {
        if (n < 0 || data.length - pos < n) {
            throw malformed("truncated at " + field);
        }
    }
}
