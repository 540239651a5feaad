package io.keyfed.party.dkg.pkg;

import io.keyfed.party.dkg.TestSupport;

import static io.keyfed.party.dkg.Harness.expectAbort;
import static io.keyfed.party.dkg.TestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.Harness;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.dkg.wire.Wire;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical encodings: round trips, bounded decoding, and validation of every field from bytes. */
class WireFormatTest {
    /** Offset of the first commitment's point bytes: header 3 + sender 2 + lp(sid) 34 + count 2 + lp 2. */
    static final int FIRST_POINT = 3 + 2 + 34 + 2 + 2;

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void roundTrips(Curve c) throws Exception {
        Harness h = Harness.started(c, 2, 3);
        byte[] r1 = h.round1(1).encode();
        Round1Package d1 = Round1Package.decode(c, r1, 1);
        assertArrayEquals(r1, d1.encode());
        assertEquals(h.round1(1).commitments(), d1.commitments());
        assertEquals(h.round1(1).proofMu(), d1.proofMu());
        assertEquals(3 + 2 + 34 + 2 + 2 * (2 + c.pointLength()) + 2 + c.pointLength() + 2 + 32, r1.length);

        byte[] e = h.echo(1).encode();
        assertArrayEquals(e, EchoPackage.decode(c, e, 1).encode());
        assertEquals(3 + 2 + 34 + 2 + 3 * (32 + 2 + 64), e.length);

        SignedRound1Package sr1 = h.signedRound1(1);
        byte[] sr = sr1.encode();
        SignedRound1Package dsr = SignedRound1Package.decode(c, sr, 1);
        assertArrayEquals(sr, dsr.encode());
        assertArrayEquals(r1, dsr.pkg().encode());
        assertArrayEquals(sr1.signature(), dsr.signature());
        assertEquals(3 + 2 + r1.length + 2 + 64, sr.length);

        Round2Package s = h.shareOf(1, 2);
        byte[] s2 = s.encode();
        Round2Package d2 = Round2Package.decode(c, s2, 1);
        assertEquals(s.share(), d2.share());
        assertEquals(2, d2.recipient());
        assertArrayEquals(s2, d2.encode());
        assertEquals(3 + 2 + 2 + 34 + 34, s2.length);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void publicKeyPackageRoundTrips(Curve c) throws Exception {
        PublicKeyPackage pub = io.keyfed.party.dkg.LocalFederation.run(c, 2, 3,
                io.keyfed.party.dkg.TestSessions.example(1, 3, 2)).get(0).publicKeyPackage();
        byte[] enc = pub.encode();
        assertEquals(pub, PublicKeyPackage.decode(c, enc, 1));
        assertEquals(3 + 34 + 4 + 4 * (2 + c.pointLength()), enc.length);
        byte[] bad = enc.clone();
        byte[] invalid = c instanceof Ed25519Curve
                ? hex("0100000000000000000000000000000000000000000000000000000000000000")
                : hex("020000000000000000000000000000000000000000000000000000000000000005");
        System.arraycopy(invalid, 0, bad, 3 + 34 + 4 + 2, c.pointLength());
        expectAbort(DkgError.InvalidPoint.class, 1, () -> PublicKeyPackage.decode(c, bad, 1));
        expectAbort(DkgError.MalformedMessage.class, 1,
                () -> PublicKeyPackage.decode(c, Arrays.copyOf(enc, enc.length + 1), 1));
        byte[] badCount = enc.clone();
        badCount[3 + 34 + 2 + 1] = 9; // n = 9 > bytes present
        expectAbort(DkgError.MalformedMessage.class, 1, () -> PublicKeyPackage.decode(c, badCount, 1));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void oversizedMessagesAreRejectedBeforeParsing(Curve c) {
        byte[] big = new byte[Wire.MAX_MESSAGE_BYTES + 1];
        DkgError.OversizedMessage e = expectAbort(DkgError.OversizedMessage.class, 2,
                () -> Round1Package.decode(c, big, 2));
        assertEquals(Wire.MAX_MESSAGE_BYTES + 1, e.size());
        expectAbort(DkgError.OversizedMessage.class, 2, () -> EchoPackage.decode(c, big, 2));
        expectAbort(DkgError.OversizedMessage.class, 2, () -> SignedRound1Package.decode(c, big, 2));
        expectAbort(DkgError.OversizedMessage.class, 2, () -> Round2Package.decode(c, big, 2));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void theLargestEchoFitsTheMessageBound(Curve c) throws Exception {
        // n = MAX_PARTICIPANTS entries, each a digest and a signature of the largest size accepted
        Random r = new Random(11);
        java.util.List<EchoPackage.Entry> entries = new java.util.ArrayList<>();
        for (int k = 0; k < Wire.MAX_PARTICIPANTS; k++) {
            byte[] d = new byte[32];
            byte[] sig = new byte[Wire.MAX_SIGNATURE_BYTES];
            r.nextBytes(d);
            r.nextBytes(sig);
            entries.add(new EchoPackage.Entry(d, sig));
        }
        EchoPackage big = new EchoPackage(c, 1, Harness.started(c, 2, 3).round1(1).sessionId(), entries);
        byte[] enc = big.encode();
        assertEquals(41 + Wire.MAX_PARTICIPANTS * (32 + 2 + Wire.MAX_SIGNATURE_BYTES), enc.length);
        assertTrue(enc.length <= Wire.MAX_MESSAGE_BYTES, enc.length + " bytes");
        assertArrayEquals(enc, EchoPackage.decode(c, enc, 1).encode());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void garbageIsMalformed(Curve c) {
        Random r = new Random(7);
        for (int len : new int[] {0, 1, 5, 100, 1000}) {
            byte[] g = new byte[len];
            r.nextBytes(g);
            expectAbort(DkgError.MalformedMessage.class, 3, () -> Round1Package.decode(c, g, 3));
            expectAbort(DkgError.MalformedMessage.class, 3, () -> EchoPackage.decode(c, g, 3));
            expectAbort(DkgError.MalformedMessage.class, 3, () -> SignedRound1Package.decode(c, g, 3));
            expectAbort(DkgError.MalformedMessage.class, 3, () -> Round2Package.decode(c, g, 3));
        }
        expectAbort(DkgError.MalformedMessage.class, 3, () -> Round1Package.decode(c, null, 3));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void headerTruncationAndTrailingBytesAreMalformed(Curve c) {
        Harness h = Harness.started(c, 2, 3);
        byte[] ok = h.round1(1).encode();
        for (int idx = 0; idx < 3; idx++) {
            byte[] bad = ok.clone();
            bad[idx] ^= 0x40; // version, type, curve
            expectAbort(DkgError.MalformedMessage.class, 1, () -> Round1Package.decode(c, bad, 1));
        }
        // a round-1 package is not an echo
        expectAbort(DkgError.MalformedMessage.class, 1, () -> EchoPackage.decode(c, ok, 1));
        // the other curve's decoder refuses it
        Curve other = c instanceof Ed25519Curve ? Secp256k1Curve.INSTANCE : Ed25519Curve.INSTANCE;
        expectAbort(DkgError.MalformedMessage.class, 1, () -> Round1Package.decode(other, ok, 1));
        for (int cut = 1; cut < ok.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(ok, ok.length - cut);
            expectAbort(DkgError.MalformedMessage.class, 1, () -> Round1Package.decode(c, truncated, 1));
        }
        byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
        expectAbort(DkgError.MalformedMessage.class, 1, () -> Round1Package.decode(c, trailing, 1));
        // a point length prefix that disagrees with the curve
        byte[] badLen = ok.clone();
        badLen[FIRST_POINT - 1] = (byte) (c.pointLength() + 1);
        expectAbort(DkgError.MalformedMessage.class, 1, () -> Round1Package.decode(c, badLen, 1));
    }

    @Test
    void offCurveSecp256k1CommitmentIsInvalidPoint() {
        Curve c = Secp256k1Curve.INSTANCE;
        byte[] bad = Harness.started(c, 2, 3).round1(1).encode();
        // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is a quadratic non-residue mod p; it is the
        // smallest such x, which CurveValidationTest.offCurveX() recomputes and checks below)
        byte[] off = new byte[33];
        off[0] = 0x02;
        off[32] = 5;
        assertEquals(BigInteger.valueOf(5), io.keyfed.party.dkg.curve.CurveValidationTest.offCurveX());
        System.arraycopy(off, 0, bad, FIRST_POINT, 33);
        expectAbort(DkgError.InvalidPoint.class, 1, () -> Round1Package.decode(c, bad, 1));
        // x = p is not a field element
        byte[] xp = hex("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        System.arraycopy(xp, 0, bad, FIRST_POINT, 33);
        expectAbort(DkgError.InvalidPoint.class, 1, () -> Round1Package.decode(c, bad, 1));
    }

    @Test
    void smallOrderEd25519CommitmentIsInvalidPoint() {
        Curve c = Ed25519Curve.INSTANCE;
        byte[] ok = Harness.started(c, 2, 3).round1(1).encode();
        for (String small : new String[] {
                "0100000000000000000000000000000000000000000000000000000000000000", // identity
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"}) { // order 8
            byte[] bad = ok.clone();
            System.arraycopy(hex(small), 0, bad, FIRST_POINT, 32);
            expectAbort(DkgError.InvalidPoint.class, 1, () -> Round1Package.decode(c, bad, 1));
        }
    }

    /**
     * Every kind of bad ed25519 point, in a commitment and in R, from the wire: InvalidPoint naming the
     * sender, whose message says which check fired.
     */
    @Test
    void everyBadEd25519PointOnTheWireIsInvalidPoint() throws Exception {
        Curve c = Ed25519Curve.INSTANCE;
        byte[] ok = Harness.started(c, 2, 3).round1(1).encode();
        int rOffset = ok.length - (2 + 32) - 32;
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        BigInteger p = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
        bad.put(hex(TestSupport.le32(p.add(BigInteger.valueOf(9)))), "y >= p"); // 9 + p: y = 9 decompresses
        bad.put("0100000000000000000000000000000000000000000000000000000000000080", "sign bit");
        bad.put("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "sign bit");
        bad.put(hex(TestSupport.le32(BigInteger.TWO)), "not on the curve");
        for (com.fasterxml.jackson.databind.JsonNode s
                : TestSupport.vectors("ed25519_small_order.json").get("points")) {
            bad.put(s.get("encoding").asText(), "small-order");
        }
        cafe.cryptography.curve25519.EdwardsPoint t8 = new cafe.cryptography.curve25519.CompressedEdwardsY(
                hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")).decompress();
        cafe.cryptography.curve25519.EdwardsPoint c0 = new cafe.cryptography.curve25519.CompressedEdwardsY(
                Arrays.copyOfRange(ok, FIRST_POINT, FIRST_POINT + 32)).decompress();
        bad.put(hex(c0.add(t8).compress().toByteArray()), "torsion");
        for (var e : bad.entrySet()) {
            for (int offset : new int[] {FIRST_POINT, rOffset}) {
                byte[] msg = ok.clone();
                System.arraycopy(hex(e.getKey()), 0, msg, offset, 32);
                DkgError.InvalidPoint err = expectAbort(DkgError.InvalidPoint.class, 1,
                        () -> Round1Package.decode(c, msg, 1));
                org.junit.jupiter.api.Assertions.assertTrue(err.toString().contains(e.getValue()),
                        e.getKey() + " at " + offset + ": " + err);
            }
        }
    }

    @Test
    void mixedOrderEd25519ProofNonceIsInvalidPoint() {
        Curve c = Ed25519Curve.INSTANCE;
        Harness h = Harness.started(c, 2, 3);
        byte[] ok = h.round1(1).encode();
        // R is the second-to-last field: lp(R) then lp(mu)
        int rOffset = ok.length - (2 + 32) - 32;
        cafe.cryptography.curve25519.EdwardsPoint b = cafe.cryptography.curve25519.Constants.ED25519_BASEPOINT;
        cafe.cryptography.curve25519.EdwardsPoint t2;
        try {
            t2 = new cafe.cryptography.curve25519.CompressedEdwardsY(
                    hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")).decompress();
        } catch (cafe.cryptography.curve25519.InvalidEncodingException e) {
            throw new AssertionError(e);
        }
        byte[] bad = ok.clone();
        System.arraycopy(b.add(t2).compress().toByteArray(), 0, bad, rOffset, 32);
        expectAbort(DkgError.InvalidPoint.class, 1, () -> Round1Package.decode(c, bad, 1));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void scalarsNotBelowTheOrderAreRejected(Curve c) {
        Harness h = Harness.started(c, 2, 3);
        byte[] qBytes = c instanceof Ed25519Curve ? TestSupport.le32(c.order()) : TestSupport.be32(c.order());
        byte[] r1 = h.round1(1).encode();
        System.arraycopy(qBytes, 0, r1, r1.length - 32, 32);
        expectAbort(DkgError.InvalidScalar.class, 1, () -> Round1Package.decode(c, r1, 1));
        byte[] s = h.shareOf(1, 2).encode();
        System.arraycopy(qBytes, 0, s, s.length - 32, 32);
        expectAbort(DkgError.InvalidScalar.class, 1, () -> Round2Package.decode(c, s, 1));
    }

    @ParameterizedTest
    @MethodSource("curves")
    void tooManyCommitmentsOnTheWireIsRejected(Curve c) {
        byte[] ok = Harness.started(c, 2, 3).round1(1).encode();
        byte[] bad = ok.clone();
        bad[FIRST_POINT - 4] = 0x01; // count = 0x0102 = 258 > 255
        expectAbort(DkgError.InvalidCommitmentCount.class, 1, () -> Round1Package.decode(c, bad, 1));
    }
}
