package io.keyfed.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code run --sign} asks to sign: the key types it can drive and the messages of each request. Every
 * message of a run is different: ed25519 keys sign a short UTF-8 text; taproot, ecdsa and bitcoin keys a
 * 32-byte digest (SHA-256 of that text), as BIP-340 and ECDSA sign digests.
 */
final class SignLoad {
    /** Most messages in one request (MsgNewSignatureRequest allows 1..64). */
    static final int MAX_MESSAGES = 64;

    private SignLoad() {
    }

    /** The key type's canonical name if {@code --sign} can drive it (ed25519, taproot, ecdsa, bitcoin), else null. */
    static String signableType(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "ed25519", "eddsa" -> "ed25519";
            case "taproot", "bitcoin-taproot" -> "taproot";
            case "ecdsa" -> "ecdsa";
            case "bitcoin", "btc" -> "bitcoin";
            default -> null;
        };
    }

    /** The text of message {@code j} of request {@code n}. */
    static String text(long n, int j) {
        return "keyfed bench: request " + n + ", message " + j;
    }

    /** The {@code count} messages of the run's {@code n}-th request (0-based) for a key of {@code type}. */
    static List<byte[]> messages(String type, long n, int count) {
        String t = signableType(type);
        if (t == null) {
            throw new IllegalArgumentException("cannot sign with a " + type + " key");
        }
        List<byte[]> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            byte[] text = text(n, j).getBytes(StandardCharsets.UTF_8);
            out.add(t.equals("ed25519") ? text : sha256(text));
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
