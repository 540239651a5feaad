package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Scalar;
import javax.security.auth.Destroyable;

/**
 * SECRET. One side's additive shares of a batch of correlated OTs over Z_q: for OT j and position c,
 * the sender's t^A_{j,c} and the receiver's t^B_{j,c} satisfy t^A_{j,c} + t^B_{j,c} = x_j·α_{j,c}.
 * Read only inside the module; {@link #destroy()} wipes every scalar.
 */
public final class CotOutput implements Destroyable {
    private final Scalar[][] shares;
    private boolean destroyed;

    /** Takes ownership of the scalars. */
    CotOutput(Scalar[][] shares) {
        this.shares = shares;
    }

    public int count() {
        return shares.length;
    }

    public int width() {
        return shares[0].length;
    }

    /** The held share (not a copy): do not keep it past this object's life. */
    Scalar share(int j, int c) {
        if (destroyed) {
            throw new IllegalStateException("correlated-OT output destroyed");
        }
        return shares[j][c];
    }

    @Override
    public void destroy() {
        for (Scalar[] row : shares) {
            for (Scalar s : row) {
                s.destroy();
            }
        }
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "CotOutput[" + shares.length + " OTs, REDACTED]";
    }
}
