package io.keyfed.bench;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.frost.Ciphersuite;
import io.keyfed.party.frost.Frost;
import io.keyfed.party.frost.FrostAbort;
import io.keyfed.party.frost.KeyPackage;
import io.keyfed.party.frost.Signature;
import io.keyfed.party.frost.SignatureShare;
import io.keyfed.party.frost.SigningCommitments;
import io.keyfed.party.frost.SigningPackage;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * One FROST signing session in memory, on one thread, for one 32-byte message, with signers 1..t of a key
 * from a real in-memory DKG ({@link LocalFederation}, once per trial, at setup). One operation: t
 * {@link Frost#commit} (hedged nonces, two fixed-base multiplications each), the {@link SigningPackage},
 * t {@link Frost#sign} (each checks the package and its own commitment), and {@link Frost#aggregate}, which
 * checks the package, verifies every share (z_j·G == R_j + c·λ_j·Y_j) and the signature before returning
 * it. No transport, no token (no unsealing, no signed answers), no wire encoding of the packages. The
 * signers' {@link KeyPackage}s (s_i·G == Y_i checked) are built at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FrostSigningBenchmark {

    /** ed25519 = FROST(Ed25519, SHA-512); taproot = BIP-340 for the BIP-86 key; secp256k1 = RFC 9591's. */
    @Param({"ed25519", "taproot", "secp256k1"})
    public String ciphersuite;

    /** {@code <t>of<n>}. */
    @Param({"2of3", "3of5"})
    public String tn;

    private Ciphersuite cs;
    private int t;
    private List<DkgResult> results;
    private PublicKeyPackage publicKeys;
    private List<KeyPackage> signers;
    private SecureRandom rng;
    private byte[] message;

    @Setup(Level.Trial)
    public void setup() throws DkgAbort, FrostAbort {
        cs = ciphersuite(ciphersuite);
        int[] tAndN = Setups.thresholdAndSize(tn);
        t = tAndN[0];
        int n = tAndN[1];
        Curve curve = cs.curve();
        results = LocalFederation.run(curve, t, n, Setups.session(curve, n, t));
        publicKeys = results.get(0).publicKeyPackage();
        signers = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            signers.add(KeyPackage.of(results.get(i)));
        }
        rng = new SecureRandom();
        message = new byte[32];
        rng.nextBytes(message);
        // Fail at setup, not mid-measurement, if the engine refuses its own honest session.
        Signature sig = session();
        if (!Frost.verify(cs, publicKeys, message, sig.bytes())) {
            throw new IllegalStateException("the session's signature does not verify");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        results.forEach(DkgResult::destroy);
    }

    @Benchmark
    public Signature session() throws FrostAbort {
        List<Frost.Round1> round1 = new ArrayList<>(t);
        List<SigningCommitments> commitments = new ArrayList<>(t);
        for (KeyPackage k : signers) {
            Frost.Round1 r1 = Frost.commit(cs, k.share(), rng);
            round1.add(r1);
            commitments.add(r1.commitments());
        }
        SigningPackage pkg = new SigningPackage(commitments, message);
        List<SignatureShare> shares = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            shares.add(Frost.sign(cs, pkg, round1.get(k).nonces(), signers.get(k)));
        }
        return Frost.aggregate(cs, pkg, shares, publicKeys);
    }

    static Ciphersuite ciphersuite(String name) {
        return switch (name) {
            case "ed25519" -> Ciphersuite.ED25519_SHA512;
            case "taproot" -> Ciphersuite.TAPROOT;
            case "secp256k1" -> Ciphersuite.SECP256K1_SHA256;
            default -> throw new IllegalArgumentException("unknown ciphersuite " + name);
        };
    }
}
