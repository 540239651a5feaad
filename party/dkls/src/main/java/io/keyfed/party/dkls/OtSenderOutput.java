package io.keyfed.party.dkls;

import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET. The base-OT sender's output: for each OT k both 32-byte pads ρ0_k and ρ1_k. The receiver knows
 * exactly one of them. Read only inside the module; {@link #destroy()} zeroes it.
 */
public final class OtSenderOutput implements Destroyable {
    private final int count;
    private final byte[] pads0;
    private final byte[] pads1;
    private boolean destroyed;

    /** Takes ownership of both arrays (count·32 bytes each). */
    OtSenderOutput(int count, byte[] pads0, byte[] pads1) {
        this.count = count;
        this.pads0 = pads0;
        this.pads1 = pads1;
    }

    public int count() {
        return count;
    }

    /** A copy of ρ0_k. */
    byte[] pad0(int k) {
        check();
        return Vsot.slice(pads0, k, Vsot.PAD);
    }

    /** A copy of ρ1_k. */
    byte[] pad1(int k) {
        check();
        return Vsot.slice(pads1, k, Vsot.PAD);
    }

    /** An independent copy (destroyed separately). */
    OtSenderOutput copy() {
        check();
        return new OtSenderOutput(count, pads0.clone(), pads1.clone());
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("base-OT sender output destroyed");
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(pads0, (byte) 0);
        Arrays.fill(pads1, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "OtSenderOutput[" + count + " OTs, REDACTED]";
    }
}
