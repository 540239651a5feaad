package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.SecretPolynomial;
import javax.security.auth.Destroyable;

/** Secret state after round 1: the polynomial f_i and our own broadcast. Opaque; destroy when done. */
public final class Round1State implements Destroyable {
    final DkgParameters params;
    final SecretPolynomial polynomial;
    final Round1Package own;

    Round1State(DkgParameters params, SecretPolynomial polynomial, Round1Package own) {
        this.params = params;
        this.polynomial = polynomial;
        this.own = own;
    }

    public DkgParameters params() {
        return params;
    }

    @Override
    public void destroy() {
        polynomial.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return polynomial.isDestroyed();
    }

    @Override
    public String toString() {
        return "Round1State[participant=" + params.self() + ", REDACTED]";
    }
}
