package io.keyfed.party.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.frost.Ciphersuite;
import io.keyfed.party.frost.Frost;
import io.keyfed.party.frost.SignatureShare;
import io.keyfed.party.frost.SigningCommitments;

/** The signing payloads round-trip, and every malformed one is refused naming the problem. */
class SigningWireTest {
    private static final SecureRandom RNG = new SecureRandom();
    private static final Curve ED = Curve.of(CurveId.ED25519);

    private static SigningCommitments commitments(int id) {
        SecretShare s = new SecretShare(ED, id, ED.randomScalar(RNG));
        return Frost.commit(Ciphersuite.ED25519_SHA512, s, RNG).commitments();
    }

    @Test
    void aCommitRoundTripsAndATruncatedOrLongerOneIsRefused() throws Exception {
        List<SigningCommitments> c = List.of(commitments(2), commitments(2));
        byte[] p = SigningWire.commit(ED, 3, c);
        SigningWire.Commit back = SigningWire.decodeCommit(ED, 2, p, 2);
        assertEquals(3, back.attempt());
        assertEquals(c, back.perMessage());
        assertEquals(3, SigningWire.attemptOf(p));
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodeCommit(ED, 2,
                Arrays.copyOf(p, p.length - 1), 2)).getMessage().contains("truncated"));
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodeCommit(ED, 2,
                Arrays.copyOf(p, p.length + 1), 2)).getMessage().contains("after the end"));
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodeCommit(ED, 2, p, 3))
                .getMessage().contains("2 messages instead of the request's 3"));
    }

    @Test
    void aCommitmentThatIsNoPointIsRefused() {
        byte[] p = SigningWire.commit(ED, 0, List.of(commitments(1)));
        Arrays.fill(p, 6, 6 + 32, (byte) 0xff); // the hiding commitment: not a valid encoding
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodeCommit(ED, 1, p, 1))
                .getMessage().contains("not a valid point"));
    }

    @Test
    void aPackageRoundTripsAndUnsortedOrOutOfRangeSignersAreRefused() throws Exception {
        byte[] hash = new byte[32];
        RNG.nextBytes(hash);
        List<List<SigningCommitments>> bySigner = List.of(List.of(commitments(1)), List.of(commitments(3)));
        byte[] p = SigningWire.packagePayload(ED, 1, hash, new int[] { 1, 3 }, bySigner, 1);
        SigningWire.Package back = SigningWire.decodePackage(ED, p, 1, 3);
        assertArrayEquals(new int[] { 1, 3 }, back.signers());
        assertArrayEquals(hash, back.messagesHash());
        assertEquals(List.of(bySigner.get(0).get(0), bySigner.get(1).get(0)), back.perMessage().get(0));
        assertArrayEquals(SigningWire.digest(p), back.digest());

        byte[] unsorted = SigningWire.packagePayload(ED, 1, hash, new int[] { 3, 1 },
                List.of(bySigner.get(1), bySigner.get(0)), 1);
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodePackage(ED, unsorted, 1, 3))
                .getMessage().contains("ascending"));
        assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodePackage(ED, p, 1, 2)); // id 3 > n
    }

    @Test
    void aShareRoundTripsAndANonCanonicalScalarIsRefused() throws Exception {
        SignatureShare z = new SignatureShare(2, ED.randomScalar(RNG));
        byte[] digest = new byte[32];
        byte[] p = SigningWire.share(ED, 0, digest, List.of(z));
        SigningWire.Share back = SigningWire.decodeShare(ED, 2, p, 1);
        assertArrayEquals(z.encode(ED), back.perMessage().get(0).encode(ED));
        Arrays.fill(p, p.length - 32, p.length, (byte) 0xff); // above the group order
        assertTrue(assertThrows(SigningWire.Malformed.class, () -> SigningWire.decodeShare(ED, 2, p, 1))
                .getMessage().contains("not a canonical scalar"));
    }

    @Test
    void aResultHasOneSignatureOfTheSuitesLengthPerMessage() throws Exception {
        byte[] p = SigningWire.result(4, List.of(new byte[64], new byte[64]));
        assertEquals(2, SigningWire.decodeResult(Ciphersuite.TAPROOT, p, 2).signatures().size());
        assertThrows(SigningWire.Malformed.class,
                () -> SigningWire.decodeResult(Ciphersuite.TAPROOT, Arrays.copyOf(p, p.length - 1), 2));
        assertEquals(-1, SigningWire.attemptOf(new byte[3]));
    }
}
