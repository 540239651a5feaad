package io.keyfed.party.frost;

import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST ONLY: trusted-dealer key generation (RFC 9591 Appendix C), to reproduce the vectors' shares and to
 * make keys quickly. Produces the same types as the DKG: secret shares s_j = f(j) and a PublicKeyPackage
 * with Y = f(0)·G and Y_j = s_j·G.
 */
final class TrustedDealer {
    private TrustedDealer() {
    }

    /** Shares of {@code secret} by f(x) = secret + Σ coefficients[k-1]·x^k, for participants 1..n. */
    record Dealt(List<SecretShare> shares, PublicKeyPackage publicKeys) {
        KeyPackage key(int i) throws FrostAbort {
            return KeyPackage.of(shares.get(i - 1), publicKeys);
        }
    }

    static Dealt keygen(Curve curve, int t, int n, Scalar secret, List<Scalar> coefficients) {
        if (coefficients.size() != t - 1) {
            throw new IllegalArgumentException("need t-1 coefficients");
        }
        List<SecretShare> shares = new ArrayList<>();
        List<GroupElement> ys = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            Scalar x = curve.scalarOf(j);
            Scalar acc = curve.scalarOf(0);
            for (int k = coefficients.size() - 1; k >= 0; k--) {
                acc = curve.scalarMulAdd(acc, x, coefficients.get(k));
            }
            acc = curve.scalarMulAdd(acc, x, secret);
            shares.add(new SecretShare(curve, j, acc));
            ys.add(curve.mulBase(acc));
        }
        return new Dealt(shares, new PublicKeyPackage(curve, SessionId.of(new byte[SessionId.LENGTH]), t,
                curve.mulBase(secret), ys));
    }

    static Dealt keygen(Curve curve, int t, int n, SecureRandom rng) {
        List<Scalar> coefficients = new ArrayList<>();
        for (int k = 1; k < t; k++) {
            coefficients.add(curve.randomScalar(rng));
        }
        return keygen(curve, t, n, curve.randomScalar(rng), coefficients);
    }
}
