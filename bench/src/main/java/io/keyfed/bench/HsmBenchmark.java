package io.keyfed.bench;

import io.keyfed.party.hsm.HsmSettings;
import io.keyfed.party.hsm.HsmToken;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The party's HSM operations through {@link HsmToken} on a real SoftHSM2 token (SunPKCS11):
 * <ul>
 *   <li>{@code signIdentity}: SHA-256 here, ECDSA secp256k1 in the token, DER → low-S R‖S; the party
 *       signs its result (and protocol messages) this way. Message: 128 bytes.</li>
 *   <li>{@code seal}: AES-256-GCM in the token of a 32-byte share with 64 bytes of associated data.</li>
 *   <li>{@code unseal}: the reverse, of a blob sealed at setup.</li>
 *   <li>{@code ecdh}: P-256 ECDH in the token with a peer's public key (compressed, validated), then
 *       HKDF-SHA256 to 32 bytes.</li>
 * </ul>
 *
 * <p>The token must exist before the JVM starts (libsofthsm2 reads SOFTHSM2_CONF and scans its tokens
 * once, at load): {@code bench/run.sh} creates it and exports
 * {@code SOFTHSM2_CONF}, {@code KEYFED_BENCH_HSM_CONFIG} (the SunPKCS11 configuration file) and
 * {@code KEYFED_BENCH_HSM_PIN_FILE} (a 0600 file holding the user PIN); JMH's forks inherit them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HsmBenchmark {
    private HsmToken token;
    private byte[] message;
    private byte[] share;
    private byte[] aad;
    private byte[] sealed;
    private byte[] peerPublicKey;
    private byte[] info;

    @Setup
    public void setup() throws Exception {
        String configFile = requireEnv("KEYFED_BENCH_HSM_CONFIG");
        String pinFile = requireEnv("KEYFED_BENCH_HSM_PIN_FILE");
        requireEnv("SOFTHSM2_CONF");
        // The party's defaults (aliases, agreement key on, create keys on first open), PIN from a file.
        token = HsmToken.open(HsmSettings.builder().configFile(configFile).pinFile(Optional.of(pinFile)).build());

        SecureRandom rng = new SecureRandom();
        message = new byte[128];
        rng.nextBytes(message);
        share = new byte[32];
        rng.nextBytes(share);
        aad = new byte[64];
        rng.nextBytes(aad);
        sealed = token.seal(share, aad);
        if (!Arrays.equals(token.unseal(sealed, aad), share)) {
            throw new IllegalStateException("seal/unseal did not round-trip");
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"), rng);
        KeyPair peer = g.generateKeyPair();
        peerPublicKey = compressed((ECPublicKey) peer.getPublic());
        info = "keyfed bench ecdh".getBytes(StandardCharsets.US_ASCII);
        token.ecdh(peerPublicKey, info);
    }

    @TearDown
    public void tearDown() {
        if (token != null) {
            token.close();
        }
    }

    @Benchmark
    public byte[] signIdentity() {
        return token.signIdentity(message);
    }

    @Benchmark
    public byte[] seal() {
        return token.seal(share, aad);
    }

    @Benchmark
    public byte[] unseal() {
        return token.unseal(sealed, aad);
    }

    @Benchmark
    public byte[] ecdh() {
        return token.ecdh(peerPublicKey, info);
    }

    private static String requireEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the HSM benchmarks through bench/run.sh,"
                    + " which creates a SoftHSM2 token and sets it");
        }
        return v;
    }

    private static byte[] compressed(ECPublicKey key) {
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        byte[] out = new byte[33];
        out[0] = (byte) (y.testBit(0) ? 0x03 : 0x02);
        byte[] xb = x.toByteArray();
        int len = Math.min(xb.length, 32);
        System.arraycopy(xb, xb.length - len, out, 33 - len, len);
        return out;
    }
}
