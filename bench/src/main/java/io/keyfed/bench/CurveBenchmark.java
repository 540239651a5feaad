package io.keyfed.bench;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One variable-base multiplication k·P with a random 256-bit k and a random P (both drawn once per iteration):
 * {@link #mul}, the variable-time one for public scalars (secp256k1: BouncyCastle's GLV/wNAF), against
 * {@link #mulSecret}, the constant-time one for secret scalars (secp256k1: the fixed 4-bit window with complete
 * projective formulas; ed25519: curve25519-elisabeth's constant-time window).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CurveBenchmark {

    @Param({"secp256k1", "ed25519"})
    public String curve;

    private Curve c;
    private GroupElement p;
    private Scalar k;

    @Setup(Level.Iteration)
    public void setup() {
        c = Curve.of("ed25519".equals(curve) ? CurveId.ED25519 : CurveId.SECP256K1);
        SecureRandom rng = new SecureRandom();
        p = c.mulBase(c.randomScalar(rng));
        k = c.randomScalar(rng);
    }

    @Benchmark
    public GroupElement mul() {
        return c.mul(p, k);
    }

    @Benchmark
    public GroupElement mulSecret() {
        return c.mulSecret(p, k);
    }
}
