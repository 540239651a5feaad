package io.keyfed.api.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173) and bech32m (BIP-350) encoding, with strict decoding. The two differ only in the
 * constant xored into the checksum; {@link #decode5(String)} and {@link #encode5(String, byte[])} are bech32.
 */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    /** BIP-173 limits a string to 90 characters; Cosmos-style addresses never exceed it either. */
    public static final int MAX_LENGTH = 90;

    private Bech32() {
    }

    /** The checksum variant: bech32 (BIP-173) or bech32m (BIP-350). */
    public enum Encoding {
        BECH32(1, "bech32"),
        BECH32M(0x2bc830a3, "bech32m");

        private final int constant;
        private final String label;

        Encoding(int constant, String label) {
            this.constant = constant;
            this.label = label;
        }

        /** "bech32" or "bech32m". */
        public String label() {
            return label;
        }
    }

    /** A decoded bech32 string. */
    public record Decoded(String hrp, byte[] data) {
    }

    /** A decoded string with the checksum variant it verified under. */
    public record Checked(Encoding encoding, Decoded decoded) {
    }

    private static int polymod(byte[] values) {
        int chk = 1;
        for (byte v : values) {
            int top = chk >>> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
            for (int i = 0; i < 5; i++) {
                if (((top >>> i) & 1) != 0) {
                    chk ^= GEN[i];
                }
            }
        }
        return chk;
    }

    private static byte[] hrpExpand(String hrp) {
        int n = hrp.length();
        byte[] out = new byte[n * 2 + 1];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + n + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Encodes 5-bit groups with a bech32 checksum. */
    public static String encode5(String hrp, byte[] values5) {
        return encode5(hrp, values5, Encoding.BECH32);
    }

    /** Encodes 5-bit groups with the checksum of {@code encoding}. */
    public static String encode5(String hrp, byte[] values5, Encoding encoding) {
        byte[] enc = concat(hrpExpand(hrp), concat(values5, new byte[6]));
        int mod = polymod(enc) ^ encoding.constant;
        StringBuilder sb = new StringBuilder(hrp.length() + 1 + values5.length + 6);
        sb.append(hrp).append('1');
        for (byte b : values5) {
            sb.append(CHARSET.charAt(b));
        }
        for (int i = 0; i < 6; i++) {
            sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
        }
        return sb.toString();
    }

    /** Encodes 8-bit data under the given human-readable part. */
    public static String encode(String hrp, byte[] data) {
        return encode5(hrp, convertBits(data, 8, 5, true));
    }

    /** Decodes a bech32 string to 5-bit groups; throws IllegalArgumentException naming the problem. */
    public static Decoded decode5(String s) {
        return decode5(s, Encoding.BECH32);
    }

    /** Decodes to 5-bit groups, requiring the checksum of {@code encoding}. */
    public static Decoded decode5(String s, Encoding encoding) {
        Checked c = decode5Any(s);
        if (c.encoding() != encoding) {
            throw new IllegalArgumentException(encoding.label() + " checksum mismatch");
        }
        return c.decoded();
    }

    /**
     * Decodes to 5-bit groups under either checksum (no string is valid under both) and says which one
     * verified; throws IllegalArgumentException naming the problem.
     */
    public static Checked decode5Any(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty bech32 string");
        }
        if (s.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bech32 string longer than " + MAX_LENGTH + " characters");
        }
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("bech32 string has an invalid character");
            }
            lower |= Character.isLowerCase(c);
            upper |= Character.isUpperCase(c);
        }
        if (lower && upper) {
            throw new IllegalArgumentException("bech32 string mixes upper and lower case");
        }
        String str = s.toLowerCase(Locale.ROOT);
        int pos = str.lastIndexOf('1');
        if (pos < 1 || pos + 7 > str.length()) {
            throw new IllegalArgumentException("bech32 separator misplaced");
        }
        String hrp = str.substring(0, pos);
        byte[] values = new byte[str.length() - pos - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(str.charAt(pos + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("bech32 string has an invalid character");
            }
            values[i] = (byte) v;
        }
        int check = polymod(concat(hrpExpand(hrp), values));
        Encoding encoding;
        if (check == Encoding.BECH32.constant) {
            encoding = Encoding.BECH32;
        } else if (check == Encoding.BECH32M.constant) {
            encoding = Encoding.BECH32M;
        } else {
            throw new IllegalArgumentException("bech32 checksum mismatch (neither bech32 nor bech32m)");
        }
        byte[] data = new byte[values.length - 6];
        System.arraycopy(values, 0, data, 0, data.length);
        return new Checked(encoding, new Decoded(hrp, data));
    }

    /** Decodes 8-bit data. */
    public static Decoded decode(String s) {
        Decoded d = decode5(s);
        return new Decoded(d.hrp(), convertBits(d.data(), 5, 8, false));
    }

    /** Regroups bits (BIP-173 convertbits); strict about padding when {@code pad} is false. */
    public static byte[] convertBits(byte[] in, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
        for (byte b : in) {
            int value = b & 0xff;
            if ((value >>> from) != 0) {
                throw new IllegalArgumentException("bech32 data value out of range");
            }
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("bech32 data has invalid padding");
        }
        return out.toByteArray();
    }
}
