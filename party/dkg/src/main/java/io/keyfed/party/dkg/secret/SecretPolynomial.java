package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Curve;
import java.math.BigInteger;
import java.security.SecureRandom;
import javax.security.auth.Destroyable;

/**
 * Participant i's secret polynomial f_i(x) = a_i,0 + a_i,1·x + ... + a_i,t−1·x^(t−1)
 * (FROST KeyGen round 1, step 1: "sample t random values (a_i0, ..., a_i(t−1)) ← Z_q").
 *
 * <p>Coefficients are kept as fixed-length scalar encodings and zeroed by {@link #destroy()}.
 * Intermediate {@link BigInteger} values produced by arithmetic are immutable and cannot be wiped (a JVM
 * limitation); they are kept local and short-lived.
 */
public final class SecretPolynomial implements Destroyable {
    private final Curve curve;
    private final SecretScalars coefficients;

    private SecretPolynomial(Curve curve, byte[][] coefficients) {
        this.curve = curve;
        this.coefficients = new SecretScalars(curve, coefficients, "secret polynomial destroyed",
                "corrupt coefficient");
    }

    /** t uniformly random nonzero coefficients (degree t−1). */
    public static SecretPolynomial random(Curve curve, int t, SecureRandom rng) {
        if (t < 1) {
            throw new IllegalArgumentException("t must be at least 1");
        }
        byte[][] cs = new byte[t][];
        for (int k = 0; k < t; k++) {
            cs[k] = curve.encodeScalar(curve.randomScalar(rng));
        }
        return new SecretPolynomial(curve, cs);
    }

    /** Number of coefficients, t. */
    public int size() {
        return coefficients.size();
    }

    /** a_i,k. */
    public BigInteger coefficient(int k) {
        return coefficients.value(k);
    }

    /** f_i(x) mod q by Horner's rule. */
    public BigInteger evaluate(BigInteger x) {
        coefficients.check();
        BigInteger q = curve.order();
        BigInteger acc = BigInteger.ZERO;
        for (int k = coefficients.size() - 1; k >= 0; k--) {
            acc = acc.multiply(x).add(coefficient(k)).mod(q);
        }
        return acc;
    }

    @Override
    public void destroy() {
        coefficients.wipe();
    }

    @Override
    public boolean isDestroyed() {
        return coefficients.isDestroyed();
    }

    @Override
    public String toString() {
        return "SecretPolynomial[REDACTED]";
    }
}
