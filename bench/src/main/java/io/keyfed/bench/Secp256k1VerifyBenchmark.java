package io.keyfed.bench;

import io.keyfed.api.crypto.Secp256k1;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Secp256k1#verify} (what the ledger runs on each transaction and party answer, and the parties on each
 * other's messages) on libsecp256k1 through JNI, and in a fork started with {@code -Dkeyfed.secp256k1.native=false}
 * on BouncyCastle. Each setup checks that its fork really runs the backend the method's name says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Secp256k1VerifyBenchmark {

    private byte[] key;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setup() {
        SecureRandom rng = new SecureRandom();
        BigInteger d = new BigInteger(255, rng).add(BigInteger.ONE);
        key = Secp256k1.publicKeyOf(d);
        message = new byte[200];
        rng.nextBytes(message);
        signature = Secp256k1.sign(d, message);
        if (!Secp256k1.verify(key, message, signature)) {
            throw new IllegalStateException("the benchmark's signature does not verify");
        }
    }

    private boolean verifyOn(String backend) {
        if (!backend.equals(Secp256k1.backend())) {
            throw new IllegalStateException("this fork verifies with " + Secp256k1.backend() + ", not " + backend);
        }
        return Secp256k1.verify(key, message, signature);
    }

    @Benchmark
    public boolean verifyLibsecp256k1() {
        return verifyOn("libsecp256k1");
    }

    @Benchmark
    @Fork(jvmArgsAppend = "-Dkeyfed.secp256k1.native=false")
    public boolean verifyBouncyCastle() {
        return verifyOn("bouncycastle");
    }
}
