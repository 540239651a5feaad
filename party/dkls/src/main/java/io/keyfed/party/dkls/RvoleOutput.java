package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Scalar;
import javax.security.auth.Destroyable;

/**
 * SECRET. One side's result of a random vector OLE: the additive shares (c_i for the sender, d_i for the
 * receiver, c_i + d_i = a_i·b) and, on the receiver's side, its random b. {@link #destroy()} wipes them.
 */
public final class RvoleOutput implements Destroyable {
    private final Scalar[] shares;
    private final Scalar b;
    private boolean destroyed;

    /** Takes ownership; {@code b} is null on the sender's side. */
    RvoleOutput(Scalar[] shares, Scalar b) {
        this.shares = shares;
        this.b = b;
    }

    public int size() {
        return shares.length;
    }

    /** The held share i (not a copy). */
    Scalar share(int i) {
        check();
        return shares[i];
    }

    /** The receiver's random b (not a copy); the sender has none. */
    Scalar b() {
        check();
        if (b == null) {
            throw new IllegalStateException("the sender's side has no b");
        }
        return b;
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("RVOLE output destroyed");
        }
    }

    @Override
    public void destroy() {
        for (Scalar s : shares) {
            s.destroy();
        }
        if (b != null) {
            b.destroy();
        }
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "RvoleOutput[" + shares.length + " shares, REDACTED]";
    }
}
