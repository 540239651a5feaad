package io.keyfed.party.dkg;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs all n parties' rounds in memory (tests and benchmarks). Every package is encoded by its sender
 * and decoded by each recipient (exercising the wire format), then handed to an optional
 * {@link Adversary} that may rewrite any recipient's inbox before the round function runs. Round-1 packages
 * are signed with {@link LocalSigners} (fresh keys per run unless the caller passes its own, e.g. to forge a
 * cheat's second signed package).
 */
public final class LocalFederation {
    private LocalFederation() {
    }

    /** Hook to misbehave: may replace a recipient's inbox for a round. Defaults pass messages through. */
    public interface Adversary {
        default List<Inbound<SignedRound1Package>> round1(int recipient, List<Inbound<SignedRound1Package>> inbox) {
            return inbox;
        }

        default List<Inbound<EchoPackage>> echo(int recipient, List<Inbound<EchoPackage>> inbox) {
            return inbox;
        }

        default List<Inbound<Round2Package>> round2(int recipient, List<Inbound<Round2Package>> inbox) {
            return inbox;
        }
    }

    /** One party's end of the run: a verified result, or the error it aborted with. */
    public record Outcome(int participant, DkgResult result, DkgError error) {
        public boolean ok() {
            return result != null;
        }
    }

    /** Honest run; throws the first party's abort if any party aborts. Returns results in identifier order. */
    public static List<DkgResult> run(Curve curve, int t, int n, SessionId sid) throws DkgAbort {
        List<Outcome> outcomes = run(curve, t, n, sid, new Adversary() { }, new SecureRandom());
        List<DkgResult> results = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (!o.ok()) {
                throw new DkgAbort(o.error());
            }
            results.add(o.result());
        }
        return results;
    }

    /** Run with an adversary; each party's outcome is reported. A party that aborts stops sending. */
    public static List<Outcome> run(Curve curve, int t, int n, SessionId sid, Adversary adversary,
                                    SecureRandom rng) {
        LocalSigners signers = LocalSigners.generate(n, rng);
        try {
            return run(curve, t, n, sid, adversary, rng, signers);
        } finally {
            signers.destroy();
        }
    }

    /** Run with an adversary and the given round-1 signing keys (participant i signs with key i). */
    public static List<Outcome> run(Curve curve, int t, int n, SessionId sid, Adversary adversary,
                                    SecureRandom rng, LocalSigners signers) {
        DkgError[] errors = new DkgError[n + 1];

        Round1State[] s1 = new Round1State[n + 1];
        byte[][] sig1 = new byte[n + 1][];
        byte[][] r1 = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            Dkg.Round1Output o = Dkg.round1(new DkgParameters(curve, t, n, i, sid), rng);
            s1[i] = o.state();
            sig1[i] = signers.sign(i, o.digest());
            r1[i] = o.signed(sig1[i]).encode();
        }

        EchoState[] se = new EchoState[n + 1];
        byte[][] ec = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            try {
                List<Inbound<SignedRound1Package>> inbox = new ArrayList<>();
                for (int j = 1; j <= n; j++) {
                    if (j != i && r1[j] != null) {
                        inbox.add(new Inbound<>(j, SignedRound1Package.decode(curve, r1[j], j)));
                    }
                }
                Dkg.EchoOutput o = Dkg.echo(s1[i], sig1[i], adversary.round1(i, inbox), signers);
                se[i] = o.state();
                ec[i] = o.broadcast().encode();
            } catch (DkgAbort e) {
                errors[i] = e.error();
                s1[i].destroy();
            }
        }

        Round2State[] s2 = new Round2State[n + 1];
        List<List<Round2Package>> outgoing = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            outgoing.add(List.of());
        }
        for (int i = 1; i <= n; i++) {
            if (se[i] == null) {
                continue;
            }
            try {
                List<Inbound<EchoPackage>> inbox = new ArrayList<>();
                for (int j = 1; j <= n; j++) {
                    if (j != i && ec[j] != null) {
                        inbox.add(new Inbound<>(j, EchoPackage.decode(curve, ec[j], j)));
                    }
                }
                Dkg.Round2Output o = Dkg.round2(se[i], adversary.echo(i, inbox));
                s2[i] = o.state();
                outgoing.set(i, o.shares());
            } catch (DkgAbort e) {
                errors[i] = e.error();
            } finally {
                se[i].destroy(); // "deleting f_i" once the shares are computed
            }
        }

        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (s2[i] == null) {
                outcomes.add(new Outcome(i, null, errors[i]));
                continue;
            }
            List<Round2Package> decoded = new ArrayList<>();
            try {
                List<Inbound<Round2Package>> inbox = new ArrayList<>();
                for (int j = 1; j <= n; j++) {
                    for (Round2Package pkg : outgoing.get(j)) {
                        if (pkg.recipient() == i) {
                            byte[] wire = pkg.encode();
                            Round2Package d = Round2Package.decode(curve, wire, j);
                            java.util.Arrays.fill(wire, (byte) 0);
                            decoded.add(d);
                            inbox.add(new Inbound<>(j, d));
                        }
                    }
                }
                outcomes.add(new Outcome(i, Dkg.finish(s2[i], adversary.round2(i, inbox)), null));
            } catch (DkgAbort e) {
                outcomes.add(new Outcome(i, null, e.error()));
            } finally {
                s2[i].destroy();
                decoded.forEach(Round2Package::destroy);
            }
        }
        for (List<Round2Package> l : outgoing) {
            l.forEach(Round2Package::destroy);
        }
        return outcomes;
    }
}
