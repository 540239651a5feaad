package io.keyfed.party.transport;

import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import io.keyfed.api.encoding.CanonicalWriter;

/**
 * SECRET: the AES-256-GCM key that encrypts one session's round-2 share from {@code sender} to
 * {@code recipient}. It comes from the session's ephemeral key agreement, not from the static channel keys:
 *
 * <pre>
 * key = HKDF-SHA256(ikm  = X25519(ephemeral secret, peer's ephemeral public)   (32 bytes),
 *                   salt = session id,
 *                   info = CanonicalWriter("keyfed/share-key/v1").string(sender).string(recipient)
 *                          .bytes(sender's ephemeral public for recipient).bytes(recipient's ephemeral public for sender))
 *       (32 bytes)
 * </pre>
 *
 * Both ends of the pair compute the same X25519 value (each with its own ephemeral secret); whoever learns one
 * of the two ephemeral secrets of the pair (and has the recorded public keys) can derive it, and nobody else.
 * Wiped by {@link #destroy()}.
 */
public final class ShareKey implements Destroyable {
    public static final int LENGTH = 32;
    private final byte[] key;
    private volatile boolean destroyed;

    private ShareKey(byte[] key) {
        this.key = key;
    }

    /** Derives the key from the pair's X25519 output ({@code shared}, left for the caller to wipe). */
    public static ShareKey derive(byte[] shared, byte[] sessionId, String sender, String recipient,
            byte[] senderEphemeral, byte[] recipientEphemeral) {
        byte[] info = new CanonicalWriter("keyfed/share-key/v1").string(sender).string(recipient)
                .bytes(senderEphemeral).bytes(recipientEphemeral).toByteArray();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, sessionId, info));
        byte[] okm = new byte[LENGTH];
        hkdf.generateBytes(okm, 0, okm.length);
        return new ShareKey(okm);
    }

    byte[] key() {
        if (destroyed) {
            throw new IllegalStateException("share key destroyed");
        }
        return key;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "ShareKey[REDACTED]";
    }
}
