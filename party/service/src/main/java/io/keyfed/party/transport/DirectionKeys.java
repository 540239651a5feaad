package io.keyfed.party.transport;

import java.util.Arrays;

import javax.security.auth.Destroyable;

/**
 * SECRET: the keys of one session and one direction (sender → recipient): a 32-byte HMAC-SHA256 key
 * and a 32-byte AES-256-GCM key. Wiped by {@link #destroy()}.
 */
public final class DirectionKeys implements Destroyable {
    private final byte[] macKey;
    private final byte[] encKey;
    private volatile boolean destroyed;

    DirectionKeys(byte[] okm64) {
        macKey = Arrays.copyOfRange(okm64, 0, 32);
        encKey = Arrays.copyOfRange(okm64, 32, 64);
        Arrays.fill(okm64, (byte) 0);
    }

    byte[] macKey() {
        check();
        return macKey;
    }

    byte[] encKey() {
        check();
        return encKey;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("channel keys destroyed");
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(macKey, (byte) 0);
        Arrays.fill(encKey, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "DirectionKeys[REDACTED]";
    }
}
