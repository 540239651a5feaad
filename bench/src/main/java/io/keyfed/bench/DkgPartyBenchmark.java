package io.keyfed.bench;

import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.EchoState;
import io.keyfed.party.dkg.Inbound;
import io.keyfed.party.dkg.LocalSigners;
import io.keyfed.party.dkg.Round1State;
import io.keyfed.party.dkg.Round2State;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The DKG work of ONE party (identifier 1) of an n-party federation, given its peers' packages as wire
 * bytes prepared in {@link #setup()} by running the peers' rounds. Each round counts what the party
 * itself does: decode and validate the n−1 inbound packages, run the round, encode its outbound
 * package(s). Transport, signatures and the HSM are not included.
 *
 * <ul>
 *   <li>{@code round1}: sample the polynomial, t commitments and the proof of knowledge; encode.</li>
 *   <li>{@code echo}: decode n−1 signed round-1 packages, hash their digests, verify their signatures,
 *       commitments and proofs.</li>
 *   <li>{@code round2}: decode n−1 echoes, compare digests, evaluate n shares; encode n−1.</li>
 *   <li>{@code finish}: decode n−1 shares, verify each against its sender's commitments, aggregate the
 *       group key and all n verification shares, check Y_i = s_i·G.</li>
 *   <li>{@code party}: all four in a row, the cost of one party's whole DKG.</li>
 * </ul>
 *
 * <p>The peers' echoes carry digests of the party's round-1 package, so echo/round2/finish continue from
 * a round-1 state fixed at setup; {@code round1} and the first step of {@code party} run round 1 afresh
 * (same work, random polynomial) and discard its output. The engine never mutates its inputs, so the
 * fixed states can be reused; the per-invocation states the measured code creates are destroyed, except
 * echo states, which share (and on destroy would wipe) the fixed round-1 polynomial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DkgPartyBenchmark {
    private static final int SELF = 1;

    @Param({"secp256k1", "ed25519"})
    public String curve;

    /** {@code <t>of<n>}. */
    @Param({"2of3", "3of5"})
    public String tn;

    private Curve c;
    private int n;
    private DkgParameters params;
    private final SecureRandom rng = new SecureRandom();

    /** Peers' wire packages addressed to party 1, index = sender identifier (slot SELF unused). */
    private byte[][] peerRound1;
    private byte[][] peerEcho;
    private byte[][] peerShares;

    /** Party 1's fixed states, consistent with the peers' packages. */
    private Round1State round1State;
    private EchoState echoState;
    private Round2State round2State;
    private LocalSigners signers;
    private byte[] ownSignature;

    @Setup
    public void setup() throws DkgAbort {
        c = Setups.curve(curve);
        int[] tAndN = Setups.thresholdAndSize(tn);
        int t = tAndN[0];
        n = tAndN[1];
        SessionId sid = Setups.session(c, n, t);
        params = new DkgParameters(c, t, n, SELF, sid);

        signers = LocalSigners.generate(n, rng);
        Round1State[] s1 = new Round1State[n + 1];
        byte[][] sig1 = new byte[n + 1][];
        byte[][] r1 = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            Dkg.Round1Output o = Dkg.round1(new DkgParameters(c, t, n, i, sid), rng);
            s1[i] = o.state();
            sig1[i] = signers.sign(i, o.digest());
            r1[i] = o.signed(sig1[i]).encode();
        }
        ownSignature = sig1[SELF];
        EchoState[] se = new EchoState[n + 1];
        byte[][] ec = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            Dkg.EchoOutput o = Dkg.echo(s1[i], sig1[i], round1Inbox(r1, i), signers);
            se[i] = o.state();
            ec[i] = o.broadcast().encode();
        }
        byte[][] toSelf = new byte[n + 1][];
        Round2State[] s2 = new Round2State[n + 1];
        for (int i = 1; i <= n; i++) {
            Dkg.Round2Output o = Dkg.round2(se[i], echoInbox(ec, i));
            s2[i] = o.state();
            for (Round2Package p : o.shares()) {
                if (p.recipient() == SELF) {
                    toSelf[i] = p.encode();
                }
                p.destroy();
            }
        }
        for (int i = 1; i <= n; i++) {
            if (i != SELF) {
                se[i].destroy();
                s2[i].destroy();
            }
        }
        peerRound1 = r1;
        peerEcho = ec;
        peerShares = toSelf;
        round1State = s1[SELF];
        echoState = se[SELF];
        round2State = s2[SELF];
        // Fail at setup, not mid-measurement, if the prepared run does not verify.
        DkgResult check = finishWith(round2State);
        check.destroy();
    }

    @TearDown
    public void tearDown() {
        round2State.destroy();
        echoState.destroy(); // also wipes round1State's polynomial
        signers.destroy();
    }

    private List<Inbound<SignedRound1Package>> round1Inbox(byte[][] r1, int self) throws DkgAbort {
        List<Inbound<SignedRound1Package>> inbox = new ArrayList<>(n - 1);
        for (int j = 1; j <= n; j++) {
            if (j != self) {
                inbox.add(new Inbound<>(j, SignedRound1Package.decode(c, r1[j], j)));
            }
        }
        return inbox;
    }

    private List<Inbound<EchoPackage>> echoInbox(byte[][] ec, int self) throws DkgAbort {
        List<Inbound<EchoPackage>> inbox = new ArrayList<>(n - 1);
        for (int j = 1; j <= n; j++) {
            if (j != self) {
                inbox.add(new Inbound<>(j, EchoPackage.decode(c, ec[j], j)));
            }
        }
        return inbox;
    }

    private DkgResult finishWith(Round2State state) throws DkgAbort {
        List<Inbound<Round2Package>> inbox = new ArrayList<>(n - 1);
        try {
            for (int j = 1; j <= n; j++) {
                if (j != SELF) {
                    inbox.add(new Inbound<>(j, Round2Package.decode(c, peerShares[j], j)));
                }
            }
            return Dkg.finish(state, inbox);
        } finally {
            for (Inbound<Round2Package> in : inbox) {
                in.message().destroy();
            }
        }
    }

    private byte[] doRound1() {
        Dkg.Round1Output o = Dkg.round1(params, rng);
        byte[] wire = o.broadcast().encode();
        o.state().destroy();
        return wire;
    }

    private EchoState doEcho(Blackhole bh) throws DkgAbort {
        Dkg.EchoOutput o = Dkg.echo(round1State, ownSignature, round1Inbox(peerRound1, SELF), signers);
        bh.consume(o.broadcast().encode());
        return o.state();
    }

    private Round2State doRound2(EchoState state, Blackhole bh) throws DkgAbort {
        Dkg.Round2Output o = Dkg.round2(state, echoInbox(peerEcho, SELF));
        for (Round2Package p : o.shares()) {
            bh.consume(p.encode());
            p.destroy();
        }
        return o.state();
    }

    private byte[] doFinish(Round2State state) throws DkgAbort {
        DkgResult r = finishWith(state);
        byte[] share = r.secretShare().toBytes(); // what the party hands to HsmToken.seal
        byte[] pub = r.publicKeyPackage().encode();
        r.destroy();
        java.util.Arrays.fill(share, (byte) 0);
        return pub;
    }

    @Benchmark
    public byte[] round1() {
        return doRound1();
    }

    @Benchmark
    public void echo(Blackhole bh) throws DkgAbort {
        bh.consume(doEcho(bh)); // not destroyed: shares the fixed polynomial
    }

    @Benchmark
    public void round2(Blackhole bh) throws DkgAbort {
        doRound2(echoState, bh).destroy();
    }

    @Benchmark
    public byte[] finish() throws DkgAbort {
        return doFinish(round2State);
    }

    @Benchmark
    public byte[] party(Blackhole bh) throws DkgAbort {
        bh.consume(doRound1());
        EchoState e = doEcho(bh);
        Round2State s = doRound2(e, bh);
        try {
            return doFinish(s);
        } finally {
            s.destroy();
        }
    }
}
