package io.keyfed.bench;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.DklsSign;
import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The DKLs23 engine (party/dkls) in memory, on one thread: {@link #pairSetup}, one pairwise setup between two
 * parties (both sides of the five rounds: 2 × 256 verified base OTs and the zero-sharing seed exchange), and
 * {@link #signSession}, one 3-round signing session among signers 1..t of a key from a real in-memory DKG, with
 * every pair's setup made once at trial setup (the setup is per pair, not per signature). A session is every
 * signer's three rounds (SoftSpokenOT extension and the two-party multiplications with their checks) and every
 * signer's combination, which verifies the low-S signature before releasing it. No transport, no token.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DklsBenchmark {

    /** {@code <t>of<n>}. */
    @Param({"2of3", "3of5"})
    public String tn;

    private static final Curve C = Curve.of(CurveId.SECP256K1);
    private List<DkgResult> results;
    private final Map<Integer, Map<Integer, PairwiseSetupOutput>> setups = new HashMap<>();
    private List<Integer> signers;
    private SecureRandom rng;
    private byte[] digest;

    @Setup(Level.Trial)
    public void setup() throws DkgAbort, DklsAbort {
        int[] tAndN = Setups.thresholdAndSize(tn);
        int t = tAndN[0];
        int n = tAndN[1];
        results = LocalFederation.run(C, t, n, Setups.session(C, n, t));
        rng = new SecureRandom();
        for (int i = 1; i <= n; i++) {
            setups.put(i, new HashMap<>());
        }
        for (int i = 1; i <= n; i++) {
            for (int j = i + 1; j <= n; j++) {
                PairwiseSetupOutput[] p = pair(i, j);
                setups.get(i).put(j, p[0]);
                setups.get(j).put(i, p[1]);
            }
        }
        signers = new ArrayList<>();
        for (int i = 1; i <= t; i++) {
            signers.add(i);
        }
        digest = new byte[32];
        rng.nextBytes(digest);
        signSession(); // fails at setup, not mid-measurement, if the engine refuses its own honest session
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        results.forEach(DkgResult::destroy);
    }

    @Benchmark
    public PairwiseSetupOutput[] pairSetup() throws DklsAbort {
        return pair(1, 2);
    }

    @Benchmark
    public SignMessages.EcdsaSignature signSession() throws DklsAbort {
        byte[] sessionId = new byte[32];
        rng.nextBytes(sessionId);
        Map<Integer, SignState> states = new HashMap<>();
        List<SignMessages.Commitment> commits = new ArrayList<>();
        List<SignMessages.Round1P2p> direct1 = new ArrayList<>();
        for (int i : signers) {
            var r1 = DklsSign.round1(results.get(i - 1).secretShare(), results.get(0).publicKeyPackage(), signers,
                    setups.get(i), sessionId, digest, rng);
            states.put(i, r1.state());
            commits.add(r1.message().broadcast());
            direct1.addAll(r1.message().direct());
        }
        List<SignMessages.Round2P2p> direct2 = new ArrayList<>();
        for (int i : signers) {
            direct2.addAll(DklsSign.round2(states.get(i), commits.stream().filter(c -> c.from() != i).toList(),
                    direct1.stream().filter(m -> m.to() == i).toList(), rng).message());
        }
        List<SignMessages.SignatureShare> shares = new ArrayList<>();
        for (int i : signers) {
            shares.add(DklsSign.round3(states.get(i), direct2.stream().filter(m -> m.to() == i).toList()).message());
        }
        SignMessages.EcdsaSignature sig = null;
        for (int i : signers) {
            sig = DklsSign.finish(states.get(i), shares);
        }
        return sig;
    }

    private PairwiseSetupOutput[] pair(int a, int b) throws DklsAbort {
        byte[] id = new byte[32];
        rng.nextBytes(id);
        var a1 = PairSetup.start(id, a, b, rng);
        var b1 = PairSetup.start(id, b, a, rng);
        var a2 = PairSetup.round2(a1.state(), b1.message(), rng);
        var b2 = PairSetup.round2(b1.state(), a1.message(), rng);
        var a3 = PairSetup.round3(a2.state(), b2.message());
        var b3 = PairSetup.round3(b2.state(), a2.message());
        var a4 = PairSetup.round4(a3.state(), b3.message());
        var b4 = PairSetup.round4(b3.state(), a3.message());
        var a5 = PairSetup.round5(a4.state(), b4.message());
        var b5 = PairSetup.round5(b4.state(), a4.message());
        return new PairwiseSetupOutput[] {PairSetup.finish(a5.state(), b5.message()),
            PairSetup.finish(b5.state(), a5.message())};
    }
}
