package io.keyfed.party.pairing;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.rfc7748.X25519;

import io.keyfed.party.session.EphemeralKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.ShareKey;

/**
 * SECRET: one setup run's key agreement, for forward secrecy of its rounds (as the DKG's {@link EphemeralKeys}):
 * a fresh X25519 key pair in memory, whose public key goes in this party's HELLO, and, once the peer's HELLO and
 * the setup id are known, one AES-256-GCM key per direction ({@link ShareKey#derive} with salt = setup id):
 *
 * <pre>
 * key(sender → recipient) = HKDF-SHA256(X25519(own secret, peer's public), salt = setup id,
 *     info = CanonicalWriter("keyfed/share-key/v1").string(sender).string(recipient).bytes(sender's public)
 *            .bytes(recipient's public))
 * ROUND ciphertext = IV (12) | AES-256-GCM(key, aad = envelope header | u8 version | u8 round, plaintext)
 * </pre>
 *
 * The peer's public key is refused when not canonical or of low order ({@link EphemeralKeys#agree}). Everything
 * is wiped by {@link #destroy()}, which the run calls when it ends.
 */
final class PairRunKeys implements Destroyable {
    private final byte[] secret = new byte[X25519.SCALAR_SIZE];
    private final byte[] ownPublic;
    private ShareKey out;
    private ShareKey in;
    private volatile boolean destroyed;

    PairRunKeys(SecureRandom random) {
        X25519.generatePrivateKey(random, secret);
        ownPublic = EphemeralKeys.publicOf(secret);
    }

    byte[] ownPublic() {
        return ownPublic.clone();
    }

    /**
     * Derives both directions' keys with the peer's public key; false when that key is invalid (not canonical, of
     * low order).
     */
    boolean agree(byte[] peerPublic, byte[] setupId, String self, String peer) {
        check();
        byte[] shared = EphemeralKeys.agree(secret, peerPublic);
        if (shared == null) {
            return false;
        }
        try {
            out = ShareKey.derive(shared, setupId, self, peer, ownPublic, peerPublic);
            in = ShareKey.derive(shared, setupId, peer, self, peerPublic, ownPublic);
            return true;
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    byte[] encrypt(byte[] aad, byte[] plaintext) {
        check();
        return EnvelopeCodec.encryptShare(out, aad, plaintext);
    }

    /** @throws GeneralSecurityException when the ciphertext is truncated or does not authenticate */
    byte[] decrypt(byte[] aad, byte[] ciphertext) throws GeneralSecurityException {
        check();
        return EnvelopeCodec.openShare(in, aad, ciphertext);
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("setup run keys destroyed");
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(secret, (byte) 0);
        if (out != null) {
            out.destroy();
        }
        if (in != null) {
            in.destroy();
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "PairRunKeys[REDACTED]";
    }
}
