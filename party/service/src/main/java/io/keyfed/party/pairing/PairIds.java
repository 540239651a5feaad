package io.keyfed.party.pairing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import io.keyfed.api.encoding.CanonicalWriter;

/**
 * The public names of a pair and its setups. Labels: in a setup run, the party whose address is lower (unsigned
 * UTF-8 order, as {@code ChannelKeys.pairInfo}) is participant 1, the other 2.
 *
 * <pre>
 * HELLO session id = SHA-256(CanonicalWriter("keyfed/pair-hello/v1").string(lower address).string(higher address))
 * setup id         = SHA-256(CanonicalWriter("keyfed/pair-setup-id/v1").bytes(identity key of 1)
 *                    .bytes(identity key of 2).bytes(nonce of 1).bytes(nonce of 2))
 * </pre>
 *
 * The setup id is fresh whenever either party's nonce is, and names the pair it belongs to.
 */
final class PairIds {
    private PairIds() {
    }

    /** Whether {@code a} comes before {@code b} (the pair's participant 1). */
    static boolean lower(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)) < 0;
    }

    /** The setup-run label of {@code self} in its pair with {@code peer}: 1 or 2. */
    static int label(String self, String peer) {
        return lower(self, peer) ? 1 : 2;
    }

    /** The session id of the pair's HELLO envelopes (the same in both directions). */
    static byte[] helloSessionId(String a, String b) {
        boolean aFirst = lower(a, b);
        return sha256(new CanonicalWriter("keyfed/pair-hello/v1").string(aFirst ? a : b).string(aFirst ? b : a)
                .toByteArray());
    }

    /** The id of a fresh setup run, from both parties' identity keys and nonces in label order. */
    static byte[] setupId(byte[] identity1, byte[] identity2, byte[] nonce1, byte[] nonce2) {
        return sha256(new CanonicalWriter("keyfed/pair-setup-id/v1").bytes(identity1).bytes(identity2).bytes(nonce1)
                .bytes(nonce2).toByteArray());
    }

    /** The first 8 bytes of a setup id in hex, for logs. */
    static String hex(byte[] id) {
        return HexFormat.of().formatHex(id, 0, Math.min(8, id.length));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
