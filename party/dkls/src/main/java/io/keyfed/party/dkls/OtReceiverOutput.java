package io.keyfed.party.dkls;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET. The base-OT receiver's output: for each OT k its random choice bit ω_k and the pad ρω_k it chose.
 * Read only inside the module; {@link #destroy()} zeroes it.
 */
public final class OtReceiverOutput implements Destroyable {
    private final int count;
    private final byte[] choices;
    private final byte[] pads;
    private boolean destroyed;

    /** Takes ownership of both arrays: choice bits packed LSB-first (count/8 bytes), pads count·32 bytes. */
    OtReceiverOutput(int count, byte[] choices, byte[] pads) {
        this.count = count;
        this.choices = choices;
        this.pads = pads;
    }

    public int count() {
        return count;
    }

    /** ω_k, 0 or 1. */
    int choice(int k) {
        check();
        return bit(choices, k);
    }

    /** A copy of ρω_k. */
    byte[] pad(int k) {
        check();
        return Vsot.slice(pads, k, Vsot.PAD);
    }

    /** An independent copy (destroyed separately). */
    OtReceiverOutput copy() {
        check();
        return new OtReceiverOutput(count, choices.clone(), pads.clone());
    }

    static int bit(byte[] packed, int k) {
        return (packed[k >>> 3] >>> (k & 7)) & 1;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("base-OT receiver output destroyed");
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(choices, (byte) 0);
        Arrays.fill(pads, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "OtReceiverOutput[" + count + " OTs, REDACTED]";
    }
}
