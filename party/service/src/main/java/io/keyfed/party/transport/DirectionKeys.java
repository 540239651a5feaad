package io.keyfed.party.transport;

import java.util.Arrays;

import javax.security.auth.Destroyable;

/**
 * SECRET: the static channel key of one session and one direction (sender → recipient): a 32-byte
 * HMAC-SHA256 key that authenticates every envelope. (Round-2 shares are encrypted under the session's
 * ephemeral {@link ShareKey} instead.) Wiped by {@link #destroy()}.
 */
public final class DirectionKeys implements Destroyable {
    private final byte[] macKey;
    private volatile boolean destroyed;

    DirectionKeys(byte[] okm) {
        macKey = Arrays.copyOfRange(okm, 0, 32);
        Arrays.fill(okm, (byte) 0);
    }

    byte[] macKey() {
        check();
        return macKey;
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
