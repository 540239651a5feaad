package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refusal of the rounds, each with the error (and culprit) it must name. Keys are 3-of-5. */
class SigningRefusalsTest {
    static final SecureRandom RNG = new SecureRandom();
    static final byte[] MESSAGE = "message".getBytes(StandardCharsets.UTF_8);

    static Stream<Ciphersuite> suites() {
        return Stream.of(Ciphersuite.ED25519_SHA512, Ciphersuite.SECP256K1_SHA256, Ciphersuite.SECP256K1_TR,
                Ciphersuite.TAPROOT);
    }

    /** Signers 1, 3, 4 committed; the package holds their commitments. */
    static final class Session {
        final Ciphersuite cs;
        final TrustedDealer.Dealt dealt;
        final int[] signers = {1, 3, 4};
        final List<Frost.Round1> round1 = new ArrayList<>();
        final List<SigningCommitments> commitments = new ArrayList<>();

        Session(Ciphersuite cs) {
            this.cs = cs;
            this.dealt = TrustedDealer.keygen(cs.curve(), 3, 5, RNG);
            for (int i : signers) {
                Frost.Round1 r1 = Frost.commit(cs, dealt.shares().get(i - 1), RNG);
                round1.add(r1);
                commitments.add(r1.commitments());
            }
        }

        SigningPackage pkg() {
            return new SigningPackage(commitments, MESSAGE);
        }

        SignatureShare sign(int k, SigningPackage pkg) throws FrostAbort {
            return Frost.sign(cs, pkg, round1.get(k).nonces(), dealt.key(signers[k]));
        }

        List<SignatureShare> signAll() throws FrostAbort {
            List<SignatureShare> out = new ArrayList<>();
            SigningPackage pkg = pkg();
            for (int k = 0; k < signers.length; k++) {
                out.add(sign(k, pkg));
            }
            return out;
        }
    }

    static FrostError signError(Session s, int k, SigningPackage pkg) {
        return assertThrows(FrostAbort.class, () -> s.sign(k, pkg)).error();
    }

    @ParameterizedTest
    @MethodSource("suites")
    void badShareIsCaughtByAggregateAndNamesItsSender(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        List<SignatureShare> shares = s.signAll();
        Curve curve = cs.curve();
        SignatureShare bad = new SignatureShare(3, curve.scalarAdd(shares.get(1).z(), curve.scalarOf(1)));
        shares.set(1, bad);
        FrostError e = assertThrows(FrostAbort.class, () -> Frost.aggregate(cs, s.pkg(), shares, s.dealt.publicKeys())).error();
        assertEquals(new FrostError.InvalidShare(3), e);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void honestSharesAggregate(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        Signature sig = Frost.aggregate(cs, s.pkg(), s.signAll(), s.dealt.publicKeys());
        assertTrue(cs.verify(sig.r(), sig.z(), cs.adjustment(s.dealt.publicKeys().groupKey())
                .applyPublic(cs.curve(), s.dealt.publicKeys().groupKey()), MESSAGE));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void packageWithoutTheSignersOwnCommitmentIsRefused(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        // signer 1 finds 3, 4 and a commitment of 5 instead of its own
        Frost.Round1 five = Frost.commit(cs, s.dealt.shares().get(4), RNG);
        SigningPackage pkg = new SigningPackage(List.of(s.commitments.get(1), s.commitments.get(2), five.commitments()),
                MESSAGE);
        assertEquals(new FrostError.OwnCommitmentMissing(FrostError.UNATTRIBUTABLE, 1), signError(s, 0, pkg));
        assertTrue(s.round1.get(0).nonces().isDestroyed(), "nonces are wiped whatever the outcome");
    }

    @ParameterizedTest
    @MethodSource("suites")
    void packageWithTheSignersCommitmentChangedIsRefused(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        SigningCommitments own = s.commitments.get(0);
        List<SigningCommitments> list = new ArrayList<>(s.commitments);
        list.set(0, new SigningCommitments(1, own.binding(), own.hiding()));
        assertEquals(new FrostError.OwnCommitmentChanged(FrostError.UNATTRIBUTABLE, 1), signError(s, 0, new SigningPackage(list, MESSAGE)));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void reusedNoncesAreRefused(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        s.sign(0, s.pkg());
        assertEquals(new FrostError.NonceReuse(FrostError.UNATTRIBUTABLE, 1), signError(s, 0, s.pkg()));
        s.round1.get(1).nonces().destroy();
        assertEquals(new FrostError.NonceReuse(FrostError.UNATTRIBUTABLE, 3), signError(s, 1, s.pkg()));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void identityCommitmentIsRefusedAndNamesItsSender(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        List<SigningCommitments> list = new ArrayList<>(s.commitments);
        list.set(2, new SigningCommitments(4, cs.curve().identity(), s.commitments.get(2).binding()));
        FrostError e = signError(s, 0, new SigningPackage(list, MESSAGE));
        assertInstanceOf(FrostError.InvalidCommitment.class, e);
        assertEquals(4, e.culprit());
    }

    @Test
    void commitmentOfAnotherCurveIsRefused() throws Exception {
        Session s = new Session(Ciphersuite.ED25519_SHA512);
        List<SigningCommitments> list = new ArrayList<>(s.commitments);
        list.set(1, new SigningCommitments(3, Secp256k1Curve.INSTANCE.generator(), s.commitments.get(1).binding()));
        FrostError e = signError(s, 0, new SigningPackage(list, MESSAGE));
        assertEquals(new FrostError.InvalidCommitment(3, "hiding: not a ED25519 point"), e);
    }

    @Test
    void invalidCommitmentEncodingsAreRefusedAndNameTheSender() throws Exception {
        Curve ed = Ed25519Curve.INSTANCE;
        byte[] good = ed.encodePoint(ed.generator());
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] shortPoint = new byte[31];
        FrostError e1 = assertThrows(FrostAbort.class, () -> SigningCommitments.decode(ed, 2, identity, good)).error();
        FrostError e2 = assertThrows(FrostAbort.class, () -> SigningCommitments.decode(ed, 5, good, shortPoint)).error();
        byte[] offCurve = new byte[33];
        offCurve[0] = 0x02;
        offCurve[32] = 5; // x = 5: x^3 + 7 = 132 is not a square mod p
        Curve k1 = Secp256k1Curve.INSTANCE;
        FrostError e3 = assertThrows(FrostAbort.class,
                () -> SigningCommitments.decode(k1, 4, offCurve, k1.encodePoint(k1.generator()))).error();
        assertEquals(List.of(2, 5, 4), List.of(e1.culprit(), e2.culprit(), e3.culprit()));
        assertTrue(e1 instanceof FrostError.InvalidCommitment && e2 instanceof FrostError.InvalidCommitment
                && e3 instanceof FrostError.InvalidCommitment);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void tooFewSignersAreRefusedBySignAndAggregate(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        SigningPackage two = new SigningPackage(s.commitments.subList(0, 2), MESSAGE);
        assertEquals(new FrostError.TooFewSigners(FrostError.UNATTRIBUTABLE, 3, 2), signError(s, 0, two));
        Session s2 = new Session(cs);
        List<SignatureShare> shares = s2.signAll();
        FrostError e = assertThrows(FrostAbort.class,
                () -> Frost.aggregate(cs, two, shares.subList(0, 2), s2.dealt.publicKeys())).error();
        assertEquals(new FrostError.TooFewSigners(FrostError.UNATTRIBUTABLE, 3, 2), e);
    }

    @ParameterizedTest
    @MethodSource("suites")
    void unsortedOrRepeatedOrUnknownSignersAreRefused(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        List<SigningCommitments> c = s.commitments;
        SigningPackage unsorted = new SigningPackage(List.of(c.get(0), c.get(2), c.get(1)), MESSAGE);
        assertEquals(new FrostError.NotSortedOrDistinct(FrostError.UNATTRIBUTABLE, 3), signError(s, 0, unsorted));
        Session s2 = new Session(cs);
        SigningPackage repeated = new SigningPackage(List.of(s2.commitments.get(0), s2.commitments.get(1),
                s2.commitments.get(1)), MESSAGE);
        assertEquals(new FrostError.NotSortedOrDistinct(FrostError.UNATTRIBUTABLE, 3), signError(s2, 0, repeated));
        Session s3 = new Session(cs);
        SigningCommitments six = new SigningCommitments(6, s3.commitments.get(2).hiding(), s3.commitments.get(2).binding());
        SigningPackage unknown = new SigningPackage(List.of(s3.commitments.get(0), s3.commitments.get(1), six), MESSAGE);
        assertEquals(new FrostError.UnknownSigner(6), signError(s3, 0, unknown));
    }

    @ParameterizedTest
    @MethodSource("suites")
    void missingOrUnexpectedSharesAreNamed(Ciphersuite cs) throws Exception {
        Session s = new Session(cs);
        List<SignatureShare> shares = s.signAll();
        FrostError missing = assertThrows(FrostAbort.class, () -> Frost.aggregate(cs, s.pkg(),
                List.of(shares.get(0), shares.get(2)), s.dealt.publicKeys())).error();
        assertEquals(new FrostError.MissingShare(3), missing);
        List<SignatureShare> extra = new ArrayList<>(shares);
        extra.add(new SignatureShare(5, shares.get(0).z()));
        FrostError unexpected = assertThrows(FrostAbort.class,
                () -> Frost.aggregate(cs, s.pkg(), extra, s.dealt.publicKeys())).error();
        assertEquals(new FrostError.UnexpectedShare(5), unexpected);
        List<SignatureShare> twice = new ArrayList<>(shares);
        twice.add(shares.get(2));
        FrostError duplicate = assertThrows(FrostAbort.class,
                () -> Frost.aggregate(cs, s.pkg(), twice, s.dealt.publicKeys())).error();
        assertEquals(new FrostError.UnexpectedShare(4), duplicate);
    }

    @Test
    void malformedShareEncodingNamesItsSender() {
        byte[] tooBig = new byte[32];
        java.util.Arrays.fill(tooBig, (byte) 0xFF);
        FrostError e = assertThrows(FrostAbort.class,
                () -> SignatureShare.decode(Secp256k1Curve.INSTANCE, 2, tooBig)).error();
        assertEquals(new FrostError.MalformedShare(2), e);
    }

    @Test
    void keyPackageWhoseShareDoesNotMatchItsVerificationShareIsRefused() {
        TrustedDealer.Dealt d = TrustedDealer.keygen(Ed25519Curve.INSTANCE, 2, 3, RNG);
        FrostError e = assertThrows(FrostAbort.class,
                () -> KeyPackage.of(d.shares().get(0), TrustedDealer.keygen(Ed25519Curve.INSTANCE, 2, 3, RNG).publicKeys())).error();
        assertInstanceOf(FrostError.KeyMismatch.class, e);
        assertEquals(1, e.culprit());
    }

    @Test
    void noncesOfAnotherSignerAreRefused() throws Exception {
        Session s = new Session(Ciphersuite.ED25519_SHA512);
        FrostError e = assertThrows(FrostAbort.class,
                () -> Frost.sign(s.cs, s.pkg(), s.round1.get(1).nonces(), s.dealt.key(1))).error();
        assertInstanceOf(FrostError.KeyMismatch.class, e);
        assertFalse(e.describe().isBlank());
    }
}
