package io.keyfed.party.dkg;

import static io.keyfed.party.dkg.Harness.expectAbort;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round-1 signatures as evidence, one party's view: a round-1 package must carry its sender's signature; an
 * echo that disputes a package blames the package's sender only when it shows a second digest that sender
 * signed, and blames the echo's sender otherwise.
 */
class EchoEvidenceTest {

    static java.util.stream.Stream<Curve> curves() {
        return MaliciousPartyTest.curves();
    }

    @ParameterizedTest
    @MethodSource("curves")
    void echoMisreportingOurPackageBlamesTheEchoSender(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll();
        EchoPackage lying = MaliciousPartyTest.lieAbout(h.pe[1], 2, null);
        assertEquals(new DkgError.FalseEcho(1, 2), expectAbort(DkgError.FalseEcho.class, 1,
                () -> Dkg.round2(h.se[2], Harness.replace(h.inboxEcho(2), 0, new Inbound<>(1, lying)))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void anEchoClaimWithAForeignOrGarbageSignatureBlamesTheReporter(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll();
        byte[] fake = h.pe[1].digest(3);
        fake[0] ^= 1;
        // signed, but by the liar itself (participant 1), not by the accused participant 3
        byte[] byLiar = h.signers.sign(1, fake);
        byte[] garbage = new byte[64];
        Harness.RNG.nextBytes(garbage);
        for (byte[] sig : List.of(byLiar, garbage)) {
            EchoPackage lying = MaliciousPartyTest.lieAbout(h.pe[1], 3, sig);
            assertEquals(new DkgError.FalseEcho(1, 3), expectAbort(DkgError.FalseEcho.class, 1,
                    () -> Dkg.round2(h.se[2], Harness.replace(h.inboxEcho(2), 0, new Inbound<>(1, lying)))));
        }
    }

    @ParameterizedTest
    @MethodSource("curves")
    void aSecondPackageSignedByItsSenderBlamesTheSenderNotTheReporter(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll();
        // participant 3 signed a second package (shown to participant 1 only); 1's echo carries it faithfully
        Round1Package second = Dkg.round1(h.params(3), Harness.RNG).broadcast();
        byte[] d = Dkg.round1Digest(h.sid, second);
        List<EchoPackage.Entry> entries = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            entries.add(k == 3 ? new EchoPackage.Entry(d, h.signers.sign(3, d)) : h.pe[1].entry(k));
        }
        EchoPackage faithful = new EchoPackage(c, 1, h.sid, entries);
        assertEquals(new DkgError.Equivocation(3, 1), expectAbort(DkgError.Equivocation.class, 3,
                () -> Dkg.round2(h.se[2], Harness.replace(h.inboxEcho(2), 0, new Inbound<>(1, faithful)))));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void aRoundOnePackageWithoutItsSendersSignatureIsBlamedOnTheSender(Curve c) {
        Harness h = new Harness(c, 2, 3);
        // signed by participant 3's key instead of participant 1's
        byte[] wrongKey = h.signers.sign(3, Dkg.round1Digest(h.sid, h.p1[1]));
        expectAbort(DkgError.InvalidSignature.class, 1, () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                new Inbound<>(1, new SignedRound1Package(h.p1[1], wrongKey)))));
        // a genuine signature of participant 1, over another package of its
        Round1Package other = Dkg.round1(h.params(1), Harness.RNG).broadcast();
        SignedRound1Package mismatched = new SignedRound1Package(other, h.sig1[1]);
        expectAbort(DkgError.InvalidSignature.class, 1,
                () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0, new Inbound<>(1, mismatched))));
        // the signature is checked before the content: a bad proof with a bad signature is a bad signature
        Round1Package p = h.p1[1];
        Round1Package forged = new Round1Package(c, 1, h.sid, p.commitments(), p.proofR(),
                c.scalarAdd(p.proofMu(), c.scalarOf(1)));
        expectAbort(DkgError.InvalidSignature.class, 1, () -> h.echoStep(2, Harness.replace(h.inbox1(2), 0,
                new Inbound<>(1, new SignedRound1Package(forged, h.sig1[1])))));
    }
}
