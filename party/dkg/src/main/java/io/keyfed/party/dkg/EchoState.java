package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.secret.SecretPolynomial;
import java.util.List;
import javax.security.auth.Destroyable;

/**
 * Secret state after the echo round: the polynomial, all n verified round-1 packages (index j−1) and
 * their echo digests, and the caller's signature verifier. Shares the polynomial with the {@link Round1State} it came from; destroying either
 * wipes it.
 */
public final class EchoState implements Destroyable {
    final DkgParameters params;
    final SecretPolynomial polynomial;
    final List<Round1Package> packages;
    final List<byte[]> digests;
    /** The caller's round-1 signature check, to weigh disputing echoes in round 2. */
    final Round1Verifier verifier;

    EchoState(DkgParameters params, SecretPolynomial polynomial, List<Round1Package> packages, List<byte[]> digests,
              Round1Verifier verifier) {
        this.params = params;
        this.polynomial = polynomial;
        this.packages = List.copyOf(packages);
        this.digests = List.copyOf(digests);
        this.verifier = verifier;
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
        return "EchoState[participant=" + params.self() + ", REDACTED]";
    }
}
