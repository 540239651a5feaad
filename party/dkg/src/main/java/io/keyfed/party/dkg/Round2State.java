package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.SecretShare;
import java.util.List;
import javax.security.auth.Destroyable;

/** Secret state after round 2: our own share f_i(i) and the confirmed round-1 packages. */
public final class Round2State implements Destroyable {
    final DkgParameters params;
    /** f_i(i), held as a SecretShare for its wipeable buffer. */
    final SecretShare ownShare;
    final List<Round1Package> packages;

    Round2State(DkgParameters params, SecretShare ownShare, List<Round1Package> packages) {
        this.params = params;
        this.ownShare = ownShare;
        this.packages = List.copyOf(packages);
    }

    public DkgParameters params() {
        return params;
    }

    @Override
    public void destroy() {
        ownShare.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return ownShare.isDestroyed();
    }

    @Override
    public String toString() {
        return "Round2State[participant=" + params.self() + ", REDACTED]";
    }
}
