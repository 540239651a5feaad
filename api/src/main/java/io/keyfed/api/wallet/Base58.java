package io.keyfed.api.wallet;

import java.util.Arrays;

import io.keyfed.api.crypto.Hashes;

/** Base58 with the Bitcoin alphabet, and Base58Check (payload followed by 4 bytes of double SHA-256). */
public final class Base58 {
    static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final int[] INDEX = new int[128];

    static {
        Arrays.fill(INDEX, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            INDEX[ALPHABET.charAt(i)] = i;
        }
    }

    private Base58() {
    }

    /** Encodes bytes; each leading zero byte becomes a leading '1'. */
    public static String encode(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("base58 input is null");
        }
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        // Base-58 digits, least significant first; log(256)/log(58) < 1.37.
        int[] digits = new int[(data.length - zeros) * 137 / 100 + 1];
        int used = 0;
        for (int i = zeros; i < data.length; i++) {
            int carry = data[i] & 0xff;
            for (int j = 0; j < used; j++) {
                carry += digits[j] << 8;
                digits[j] = carry % 58;
                carry /= 58;
            }
            while (carry > 0) {
                digits[used++] = carry % 58;
                carry /= 58;
            }
        }
        StringBuilder sb = new StringBuilder(zeros + used);
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        for (int j = used - 1; j >= 0; j--) {
            sb.append(ALPHABET.charAt(digits[j]));
        }
        return sb.toString();
    }

    /** Decodes; throws IllegalArgumentException on a character outside the alphabet. */
    public static byte[] decode(String s) {
        if (s == null) {
            throw new IllegalArgumentException("base58 input is null");
        }
        int ones = 0;
        while (ones < s.length() && s.charAt(ones) == '1') {
            ones++;
        }
        // Base-256 digits, least significant first; log(58)/log(256) < 0.74.
        int[] bytes = new int[(s.length() - ones) * 74 / 100 + 1];
        int used = 0;
        for (int i = ones; i < s.length(); i++) {
            char c = s.charAt(i);
            int v = c < 128 ? INDEX[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException("base58 string has an invalid character at position " + i);
            }
            int carry = v;
            for (int j = 0; j < used; j++) {
                carry += bytes[j] * 58;
                bytes[j] = carry & 0xff;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[used++] = carry & 0xff;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[ones + used];
        for (int j = 0; j < used; j++) {
            out[out.length - 1 - j] = (byte) bytes[j];
        }
        return out;
    }

    /** Base58 of {@code payload || SHA256(SHA256(payload))[0..4]}. */
    public static String encodeCheck(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("base58check payload is null");
        }
        byte[] sum = checksum(payload);
        byte[] all = Arrays.copyOf(payload, payload.length + 4);
        System.arraycopy(sum, 0, all, payload.length, 4);
        return encode(all);
    }

    /** Decodes Base58Check and returns the payload; throws IllegalArgumentException on a bad checksum. */
    public static byte[] decodeCheck(String s) {
        byte[] all = decode(s);
        if (all.length < 4) {
            throw new IllegalArgumentException("base58check string too short for a checksum");
        }
        byte[] payload = Arrays.copyOf(all, all.length - 4);
        byte[] sum = checksum(payload);
        if (!Arrays.equals(sum, 0, 4, all, payload.length, all.length)) {
            throw new IllegalArgumentException("base58check checksum mismatch");
        }
        return payload;
    }

    private static byte[] checksum(byte[] payload) {
        return Hashes.sha256(Hashes.sha256(payload));
    }
}
