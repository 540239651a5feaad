package io.keyfed.party.dkg.curve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** expand_message_xmd with SHA-256, RFC 9380 section 5.3.1. */
public final class ExpandMessageXmd {
    private static final int B_IN_BYTES = 32;
    private static final int S_IN_BYTES = 64;

    private ExpandMessageXmd() {
    }

    public static byte[] sha256(byte[] msg, byte[] dst, int lenInBytes) {
        if (dst.length > 255) {
            throw new IllegalArgumentException("DST longer than 255 bytes");
        }
        int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
        if (ell > 255 || lenInBytes > 65535 || lenInBytes <= 0) {
            throw new IllegalArgumentException("bad output length");
        }
        // DST_prime = DST || I2OSP(len(DST), 1)
        byte[] dstPrime = new byte[dst.length + 1];
        System.arraycopy(dst, 0, dstPrime, 0, dst.length);
        dstPrime[dst.length] = (byte) dst.length;
        MessageDigest h = newSha256();
        // msg_prime = Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime
        h.update(new byte[S_IN_BYTES]);
        h.update(msg);
        h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
        h.update(dstPrime);
        byte[] b0 = h.digest();
        byte[] out = new byte[ell * B_IN_BYTES];
        // b_1 = H(b_0 || I2OSP(1, 1) || DST_prime)
        h.update(b0);
        h.update((byte) 1);
        h.update(dstPrime);
        byte[] bi = h.digest();
        System.arraycopy(bi, 0, out, 0, B_IN_BYTES);
        for (int i = 2; i <= ell; i++) {
            // b_i = H(strxor(b_0, b_(i - 1)) || I2OSP(i, 1) || DST_prime)
            byte[] x = new byte[B_IN_BYTES];
            for (int j = 0; j < B_IN_BYTES; j++) {
                x[j] = (byte) (b0[j] ^ bi[j]);
            }
            h.update(x);
            h.update((byte) i);
            h.update(dstPrime);
            bi = h.digest();
            System.arraycopy(bi, 0, out, (i - 1) * B_IN_BYTES, B_IN_BYTES);
        }
        byte[] result = new byte[lenInBytes];
        System.arraycopy(out, 0, result, 0, lenInBytes);
        return result;
    }

    public static byte[] sha256(byte[] msg, String dst, int lenInBytes) {
        return sha256(msg, dst.getBytes(StandardCharsets.US_ASCII), lenInBytes);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
