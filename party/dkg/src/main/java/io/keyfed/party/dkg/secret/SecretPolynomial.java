package io.keyfed.party.dkg.secret;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import javax.security.auth.Destroyable;

/**
 * Participant i's secret polynomial f_i(x) = a_i,0 + a_i,1·x + ... + a_i,t−1·x^(t−1)
 * (FROST KeyGen round 1, step 1: "sample t random values (a_i0, ..., a_i(t−1)) ← Z_q").
 *
 * <p>Coefficients are {@link Scalar}s (fixed-length buffers) zeroed by {@link #destroy()}; evaluation
 * uses the curve's constant-time scalar arithmetic and destroys its intermediate values.
 */
public final class SecretPolynomial implements Destroyable {
    private final Curve curve;
    private final SecretScalars coefficients;

    private SecretPolynomial(Curve curve, Scalar[] coefficients) {
        this.curve = curve;
        this.coefficients = new SecretScalars(coefficients, "secret polynomial destroyed");
    }

    /** t uniformly random nonzero coefficients (degree t−1). */
    public static SecretPolynomial random(Curve curve, int t, SecureRandom rng) {
        if (t < 1) {
            throw new IllegalArgumentException("t must be at least 1");
        }
        Scalar[] cs = new Scalar[t];
        for (int k = 0; k < t; k++) {
            cs[k] = curve.randomScalar(rng);
        }
        return new SecretPolynomial(curve, cs);
    }

    /** Number of coefficients, t. */
    public int size() {
        return coefficients.size();
    }

    /** a_i,k: the held scalar itself, destroyed with this polynomial (do not destroy or keep it). */
    public Scalar coefficient(int k) {
        return coefficients.value(k);
    }

    /**
     * f_i(x) mod q by Horner's rule, acc ← acc·x + a_k with the constant-time {@link Curve#scalarMulAdd}.
     * Returns a new scalar that the caller destroys.
     */
    public Scalar evaluate(Scalar x) {
        coefficients.check();
        int top = coefficients.size() - 1;
        Scalar acc = coefficient(top).copy();
        for (int k = top - 1; k >= 0; k--) {
            Scalar next = curve.scalarMulAdd(acc, x, coefficient(k));
            acc.destroy();
            acc = next;
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
