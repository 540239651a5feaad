package io.keyfed.party.dkg;

import static io.keyfed.party.dkg.Harness.expectAbort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per misbehaviour. Party 1 (or the transport on its behalf) misbehaves towards party 2, in a
 * (2,3) or (3,5) run; every abort must name the culprit.
 */
class MaliciousPartyTest {

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    static Round1Package withCommitments(Round1Package p, List<GroupElement> cs) {
        return new Round1Package(p.curve(), p.sender(), p.sessionId(), cs, p.proofR(), p.proofMu());
    }

    // ------------------------------------------------------------------ whole-federation scenarios

    @ParameterizedTest
    @MethodSource("curves")
    void wrongShareToOnePeerIsBlamedOnItsSender(Curve c) {
        List<LocalFederation.Outcome> out = LocalFederation.run(c, 2, 3, TestSessions.example(1, 3, 2),
                new LocalFederation.Adversary() {
                    @Override
                    public List<Inbound<Round2Package>> round2(int recipient, List<Inbound<Round2Package>> inbox) {
                        if (recipient != 2) {
                            return inbox;
                        }
                        List<Inbound<Round2Package>> bad = new ArrayList<>();
                        for (Inbound<Round2Package> in : inbox) {
                            Round2Package p = in.message();
                            if (p.sender() == 1) {
                                Scalar wrong = c.scalarAdd(p.share(), c.scalarOf(1));
                                p = new Round2Package(c, 1, 2, p.sessionId(), wrong);
                            }
                            bad.add(new Inbound<>(in.from(), p));
                        }
                        return bad;
                    }
                }, Harness.RNG);
        assertEquals(new DkgError.InvalidShare(1), out.get(1).error());
        assertTrue(out.get(0).ok());
        assertTrue(out.get(2).ok());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void equivocationIsCaughtByEcho(Curve c) {
        int t = 2;
        int n = 3;
        SessionId sid = TestSessions.example(1, n, t);
        LocalSigners keys = LocalSigners.generate(n, Harness.RNG);
        // party 1 shows party 3 a different (individually valid) round-1 package, signed with its own key
        Round1Package other = Dkg.round1(new DkgParameters(c, t, n, 1, sid), Harness.RNG).broadcast();
        SignedRound1Package otherSigned = new SignedRound1Package(other, keys.sign(1, Dkg.round1Digest(sid, other)));
        int[] delivered = {0};
        List<LocalFederation.Outcome> out = LocalFederation.run(c, t, n, sid, new LocalFederation.Adversary() {
            @Override
            public List<Inbound<SignedRound1Package>> round1(int recipient, List<Inbound<SignedRound1Package>> inbox) {
                if (recipient != 3) {
                    return inbox;
                }
                List<Inbound<SignedRound1Package>> swapped = new ArrayList<>();
                for (Inbound<SignedRound1Package> in : inbox) {
                    if (in.from() == 1) {
                        delivered[0]++;
                    }
                    swapped.add(in.from() == 1 ? new Inbound<>(1, otherSigned) : in);
                }
                return swapped;
            }
        }, Harness.RNG, keys);
        assertEquals(1, delivered[0], "the second package was delivered");
        // party 2 sees party 3's echo show a second package signed by party 1: names 1
        assertEquals(new DkgError.Equivocation(1, 3), out.get(1).error());
        // party 3 sees party 1's own echo show the first package, signed by party 1: names 1
        assertEquals(new DkgError.Equivocation(1, 1), out.get(2).error());
        // party 1, the cheat, is shown its own second signature by party 3's echo
        assertEquals(new DkgError.Equivocation(1, 3), out.get(0).error());
        out.forEach(o -> assertTrue(!o.ok()));
    }

    /** Participant {@code liar}'s echo, as delivered, with a made-up digest for {@code subject}'s package. */
    static EchoPackage lieAbout(EchoPackage honest, int subject, byte[] signature) {
        List<EchoPackage.Entry> entries = new ArrayList<>();
        for (int k = 1; k <= honest.digestCount(); k++) {
            byte[] d = honest.digest(k);
            if (k == subject) {
                d[0] ^= 1;
                entries.add(new EchoPackage.Entry(d, signature == null ? honest.signature(k) : signature));
            } else {
                entries.add(honest.entry(k));
            }
        }
        return new EchoPackage(honest.curve(), honest.sender(), honest.sessionId(), entries);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void anEchoLiarIsBlamedAndTheHonestPartyItAccusesIsNot(Curve c) {
        int t = 2;
        int n = 3;
        SessionId sid = TestSessions.example(1, n, t);
        // party 1 tells everyone that party 2 sent it another round-1 package; it cannot sign for party 2, so it
        // attaches party 2's genuine signature (over the genuine digest)
        int[] delivered = {0};
        List<LocalFederation.Outcome> out = LocalFederation.run(c, t, n, sid, new LocalFederation.Adversary() {
            @Override
            public List<Inbound<EchoPackage>> echo(int recipient, List<Inbound<EchoPackage>> inbox) {
                List<Inbound<EchoPackage>> lied = new ArrayList<>();
                for (Inbound<EchoPackage> in : inbox) {
                    if (in.from() == 1) {
                        delivered[0]++;
                        lied.add(new Inbound<>(1, lieAbout(in.message(), 2, null)));
                    } else {
                        lied.add(in);
                    }
                }
                return lied;
            }
        }, Harness.RNG);
        assertEquals(2, delivered[0], "the lie was delivered to both honest parties");
        assertEquals(new DkgError.FalseEcho(1, 2), out.get(1).error());
        assertEquals(new DkgError.FalseEcho(1, 2), out.get(2).error());
        // neither honest party blames party 2, and neither ends with a key (the cheat is left without shares)
        assertTrue(!out.get(1).ok() && !out.get(2).ok());
        assertTrue(!out.get(0).ok());
    }

    // ------------------------------------------------------------------ round-1 content checks

    @ParameterizedTest
    @MethodSource("curves")
    void badProofIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        Round1Package p = h.p1[1];
        Round1Package forged = new Round1Package(c, 1, h.sid, p.commitments(), p.proofR(),
                c.scalarAdd(p.proofMu(), c.scalarOf(1)));
        expectAbort(DkgError.InvalidProof.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, h.in1(1, forged))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void proofIsBoundToTheSenderIdentifier(Curve c) {
        Harness h = new Harness(c, 2, 3);
        // party 1 replays party 3's commitments and proof as its own (rogue-key copy)
        Round1Package p3 = h.p1[3];
        Round1Package copy = new Round1Package(c, 1, h.sid, p3.commitments(), p3.proofR(), p3.proofMu());
        expectAbort(DkgError.InvalidProof.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, h.in1(1, copy))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void proofIsBoundToTheSession(Curve c) {
        Harness h = new Harness(c, 2, 3);
        Harness older = new Harness(c, 2, 3, Harness.sessionId(c, 2, 3, 41));
        // commitments and proof from an older session, relabelled with the current session id
        Round1Package o = older.p1[1];
        Round1Package relabelled = new Round1Package(c, 1, h.sid, o.commitments(), o.proofR(), o.proofMu());
        expectAbort(DkgError.InvalidProof.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, h.in1(1, relabelled))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void tooFewCommitments(Curve c) {
        Harness h = new Harness(c, 3, 5);
        List<GroupElement> cs = h.p1[1].commitments().subList(0, 2);
        DkgError.InvalidCommitmentCount e = expectAbort(DkgError.InvalidCommitmentCount.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                        h.in1(1, withCommitments(h.p1[1], cs)))));
        assertEquals(3, e.expected());
        assertEquals(2, e.actual());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void tooManyCommitments(Curve c) {
        // the proof still verifies (C_1,0 unchanged): only the count check stops a degree-t polynomial
        Harness h = new Harness(c, 2, 3);
        List<GroupElement> cs = new ArrayList<>(h.p1[1].commitments());
        cs.add(c.mulBase(c.randomScalar(Harness.RNG)));
        expectAbort(DkgError.InvalidCommitmentCount.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                        h.in1(1, withCommitments(h.p1[1], cs)))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void identityConstantTermIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        List<GroupElement> cs = Harness.replace(h.p1[1].commitments(), 0, c.identity());
        DkgError.IdentityCommitment e = expectAbort(DkgError.IdentityCommitment.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                        h.in1(1, withCommitments(h.p1[1], cs)))));
        assertEquals(0, e.index());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void identityHigherCommitmentIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        List<GroupElement> cs = Harness.replace(h.p1[1].commitments(), 1, c.identity());
        DkgError.IdentityCommitment e = expectAbort(DkgError.IdentityCommitment.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                        h.in1(1, withCommitments(h.p1[1], cs)))));
        assertEquals(1, e.index());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void pointFromTheOtherCurveIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        Curve other = c instanceof Ed25519Curve ? Secp256k1Curve.INSTANCE : Ed25519Curve.INSTANCE;
        List<GroupElement> cs = Harness.replace(h.p1[1].commitments(), 1, other.generator());
        expectAbort(DkgError.InvalidPoint.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                        h.in1(1, withCommitments(h.p1[1], cs)))));
    }

    // ------------------------------------------------------------------ envelope checks

    @ParameterizedTest
    @MethodSource("curves")
    void replayFromOlderSessionIsASessionMismatch(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3);
        Harness older = new Harness(c, 2, 3, Harness.sessionId(c, 2, 3, 41)).echoAll().round2All();
        expectAbort(DkgError.SessionMismatch.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, h.in1(1, older.p1[1]))));
        h.echoAll();
        expectAbort(DkgError.SessionMismatch.class, 1,
                () -> Dkg.round2(h.se[2], Harness.replace(h.inboxEcho(2), 0, new Inbound<>(1, older.pe[1]))));
        h.round2All();
        expectAbort(DkgError.SessionMismatch.class, 1,
                () -> Dkg.finish(h.s2[2], Harness.replace(h.inbox2(2), 0, new Inbound<>(1, older.share(1, 2)))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void duplicateSenderIsRejected(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3);
        List<Inbound<SignedRound1Package>> in = new ArrayList<>(h.inbox1(2));
        in.add(h.in1(1, h.p1[1]));
        expectAbort(DkgError.DuplicateSender.class, 1, () -> h.echoStep(2, in));
        h.echoAll().round2All();
        List<Inbound<Round2Package>> in2 = new ArrayList<>(h.inbox2(2));
        in2.add(new Inbound<>(3, h.share(3, 2)));
        expectAbort(DkgError.DuplicateSender.class, 3, () -> Dkg.finish(h.s2[2], in2));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void unknownSenderIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        // a well-formed package from identifier 4 of a 3-party session
        Round1Package p = h.p1[1];
        Round1Package stranger = new Round1Package(c, 4, h.sid, p.commitments(), p.proofR(), p.proofMu());
        List<Inbound<SignedRound1Package>> in = new ArrayList<>(h.inbox1(2));
        in.add(h.in1(4, stranger));
        expectAbort(DkgError.UnknownSender.class, 4, () -> h.echoStep(2, in));
        Round1Package zero = new Round1Package(c, 0, h.sid, p.commitments(), p.proofR(), p.proofMu());
        expectAbort(DkgError.UnknownSender.class, 0,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, h.in1(0, zero))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void ownPackageReflectedBackIsRejected(Curve c) {
        Harness h = new Harness(c, 2, 3);
        // party 3 hands party 2 its own round-1 package
        expectAbort(DkgError.ReflectedPackage.class, 3,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 1, h.in1(3, h.p1[2]))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void senderFieldMustMatchAuthenticatedSender(Curve c) {
        Harness h = new Harness(c, 2, 3);
        DkgError.SenderMismatch e = expectAbort(DkgError.SenderMismatch.class, 3,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 1, h.in1(3, h.p1[1]))));
        assertEquals(1, e.claimed());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void missingPackageNamesTheSilentParty(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3);
        expectAbort(DkgError.MissingPackage.class, 3, () -> h.echoStep(2, h.inbox1(2).subList(0, 1)));
        h.echoAll().round2All();
        expectAbort(DkgError.MissingPackage.class, 1, () -> Dkg.finish(h.s2[2], h.inbox2(2).subList(1, 2)));
    }

    // ------------------------------------------------------------------ echo and round-2 checks

    @ParameterizedTest
    @MethodSource("curves")
    void echoWithWrongDigestCountIsMalformed(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll();
        EchoPackage e = h.pe[1];
        EchoPackage shortEcho = new EchoPackage(c, 1, h.sid, List.of(e.entry(1), e.entry(2)));
        expectAbort(DkgError.MalformedMessage.class, 1,
                () -> Dkg.round2(h.se[2], Harness.replace(h.inboxEcho(2), 0, new Inbound<>(1, shortEcho))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void misaddressedShareIsRejected(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll().round2All();
        // party 1 sends party 2 the share meant for party 3
        DkgError.Misaddressed e = expectAbort(DkgError.Misaddressed.class, 1,
                () -> Dkg.finish(h.s2[2], Harness.replace(h.inbox2(2), 0, new Inbound<>(1, h.share(1, 3)))));
        assertEquals(3, e.recipient());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void honestRoundByRoundRunSucceeds(Curve c) throws Exception {
        Harness h = new Harness(c, 3, 5).echoAll().round2All();
        for (int i = 1; i <= 5; i++) {
            DkgResult r = Dkg.finish(h.s2[i], h.inbox2(i));
            assertNotNull(r.publicKeyPackage());
            assertEquals(c.mulBase(r.secretShare().value()), r.publicKeyPackage().verificationShare(i));
        }
    }
}
