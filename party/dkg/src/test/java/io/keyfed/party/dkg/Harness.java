package io.keyfed.party.dkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Drives n parties round by round so tests can inject misbehaviour at any step. */
public final class Harness {
    public static final SecureRandom RNG = new SecureRandom();

    final Curve curve;
    final int t;
    final int n;
    final SessionId sid;
    final Round1State[] s1;
    final Round1Package[] p1;
    /** Each participant's signature over its own round-1 digest. */
    final byte[][] sig1;
    /** The participants' round-1 signing keys (test-side, in memory). */
    final LocalSigners signers;
    EchoState[] se;
    EchoPackage[] pe;
    Round2State[] s2;
    List<List<Round2Package>> p2;

    Harness(Curve curve, int t, int n) {
        this(curve, t, n, sessionId(curve, t, n, 42));
    }

    Harness(Curve curve, int t, int n, SessionId sid) {
        this.curve = curve;
        this.t = t;
        this.n = n;
        this.sid = sid;
        s1 = new Round1State[n + 1];
        p1 = new Round1Package[n + 1];
        sig1 = new byte[n + 1][];
        signers = LocalSigners.generate(n, RNG);
        for (int i = 1; i <= n; i++) {
            Dkg.Round1Output o = Dkg.round1(params(i), RNG);
            s1[i] = o.state();
            p1[i] = o.broadcast();
            sig1[i] = signers.sign(i, o.digest());
        }
    }

    /** A (t, n) run advanced through round 2 (for encoding tests in other packages). */
    public static Harness started(Curve curve, int t, int n) {
        try {
            return new Harness(curve, t, n).echoAll().round2All();
        } catch (DkgAbort e) {
            throw new AssertionError(e);
        }
    }

    public Round1Package round1(int i) {
        return p1[i];
    }

    /** Participant i's round-1 package with its signature, as broadcast. */
    public SignedRound1Package signedRound1(int i) {
        return new SignedRound1Package(p1[i], sig1[i]);
    }

    public EchoPackage echo(int i) {
        return pe[i];
    }

    public Round2Package shareOf(int sender, int recipient) {
        return share(sender, recipient);
    }

    static SessionId sessionId(Curve curve, int t, int n, long requestId) {
        return TestSessions.of(requestId, curve.id().wireId(), n, t);
    }

    DkgParameters params(int i) {
        return new DkgParameters(curve, t, n, i, sid);
    }

    List<Inbound<SignedRound1Package>> inbox1(int recipient) {
        List<Inbound<SignedRound1Package>> in = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            if (j != recipient) {
                in.add(new Inbound<>(j, signed(p1[j])));
            }
        }
        return in;
    }

    /** {@code pkg} signed with the key of the participant it names as sender (key 1 for a sender outside 1..n). */
    SignedRound1Package signed(Round1Package pkg) {
        int k = pkg.sender() >= 1 && pkg.sender() <= n ? pkg.sender() : 1;
        byte[] digest;
        try {
            digest = Dkg.round1Digest(pkg.sessionId(), pkg);
        } catch (IllegalArgumentException unencodable) {
            digest = new byte[32]; // a point with no encoding (identity, other curve): only possible in memory
        }
        return new SignedRound1Package(pkg, signers.sign(k, digest));
    }

    /** {@code pkg}, signed by its named sender, as received from {@code from}. */
    Inbound<SignedRound1Package> in1(int from, Round1Package pkg) {
        return new Inbound<>(from, signed(pkg));
    }

    /** Participant i's echo step on the given round-1 inbox. */
    Dkg.EchoOutput echoStep(int i, List<Inbound<SignedRound1Package>> inbox) throws DkgAbort {
        return Dkg.echo(s1[i], sig1[i], inbox, signers);
    }

    Harness echoAll() throws DkgAbort {
        se = new EchoState[n + 1];
        pe = new EchoPackage[n + 1];
        for (int i = 1; i <= n; i++) {
            Dkg.EchoOutput o = echoStep(i, inbox1(i));
            se[i] = o.state();
            pe[i] = o.broadcast();
        }
        return this;
    }

    List<Inbound<EchoPackage>> inboxEcho(int recipient) {
        List<Inbound<EchoPackage>> in = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            if (j != recipient) {
                in.add(new Inbound<>(j, pe[j]));
            }
        }
        return in;
    }

    Harness round2All() throws DkgAbort {
        s2 = new Round2State[n + 1];
        p2 = new ArrayList<>();
        p2.add(List.of());
        for (int i = 1; i <= n; i++) {
            Dkg.Round2Output o = Dkg.round2(se[i], inboxEcho(i));
            s2[i] = o.state();
            p2.add(o.shares());
        }
        return this;
    }

    /** The round-2 package from {@code sender} addressed to {@code recipient}. */
    Round2Package share(int sender, int recipient) {
        return p2.get(sender).stream().filter(p -> p.recipient() == recipient).findFirst().orElseThrow();
    }

    List<Inbound<Round2Package>> inbox2(int recipient) {
        List<Inbound<Round2Package>> in = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            if (j != recipient) {
                in.add(new Inbound<>(j, share(j, recipient)));
            }
        }
        return in;
    }

    public static <E extends DkgError> E expectAbort(Class<E> type, int culprit, Executable call) {
        DkgAbort abort = assertThrows(DkgAbort.class, call);
        E e = assertInstanceOf(type, abort.error(), () -> "got " + abort.error());
        assertEquals(culprit, e.culprit(), () -> "culprit of " + abort.error());
        assertEquals(culprit, abort.culprit());
        return e;
    }

    static <T> List<T> replace(List<T> list, int index, T value) {
        List<T> out = new ArrayList<>(list);
        out.set(index, value);
        return out;
    }
}
