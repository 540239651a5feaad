package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.verify.Bip340Verifier;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Taproot (BIP-340 with the BIP-86 key-path tweak) signatures, each checked by the api module's
 * {@link Bip340Verifier} under {@link Taproot#outputKey}, code that shares nothing with the engine. Keys are
 * chosen (with an independent BouncyCastle computation) to cover every even-y branch.
 */
class TaprootSigningTest {
    static final Curve CURVE = Secp256k1Curve.INSTANCE;
    static final SecureRandom RNG = new SecureRandom();
    static final byte[] DIGEST = sha256("keyfed taproot test message");

    @Test
    void tweakedKeySignatureVerifiesUnderTheBip86OutputKey() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        byte[] p = d.publicKeys().groupPublicKey();
        Signature sig = LocalSigning.sign(Ciphersuite.TAPROOT, d.shares(), d.publicKeys(), new int[] {1, 3}, DIGEST, RNG);
        assertArrayEquals(Taproot.outputKey(p), sig.verifyingKey());
        assertArrayEquals(Taproot.outputKey(p), Frost.verifyingKey(Ciphersuite.TAPROOT, d.publicKeys()));
        assertTrue(Bip340Verifier.verify(Taproot.outputKey(p), DIGEST, sig.bytes()));
        assertTrue(Frost.verify(Ciphersuite.TAPROOT, d.publicKeys(), DIGEST, sig.bytes()));
        assertFalse(Frost.verify(Ciphersuite.SECP256K1_TR, d.publicKeys(), DIGEST, sig.bytes()));
        // the tweak matters: the untweaked x(P) does not verify the signature
        assertFalse(Bip340Verifier.verify(Arrays.copyOfRange(p, 1, 33), DIGEST, sig.bytes()));
    }

    /** All four parity cases of (P, Q): P odd negates the shares, Q odd negates them again. */
    @Test
    void everyKeyParityCaseSignsForTheOutputKey() throws Exception {
        Set<String> seen = new TreeSet<>();
        for (int attempt = 0; attempt < 200 && seen.size() < 4; attempt++) {
            TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
            byte[] p = d.publicKeys().groupPublicKey();
            String parity = "P " + (IndependentTaproot.pOdd(p) ? "odd" : "even") + ", Q "
                    + (IndependentTaproot.qOdd(p) ? "odd" : "even");
            if (!seen.add(parity)) {
                continue;
            }
            byte[] share1 = d.shares().get(0).toBytes();
            byte[] stored = d.publicKeys().encode();
            Signature sig = LocalSigning.sign(Ciphersuite.TAPROOT, d.shares(), d.publicKeys(), new int[] {1, 2}, DIGEST, RNG);
            assertTrue(Bip340Verifier.verify(Taproot.outputKey(p), DIGEST, sig.bytes()), parity);
            // the adjustments work on copies: the stored share and public key package are unchanged
            assertArrayEquals(share1, d.shares().get(0).toBytes(), parity);
            assertArrayEquals(stored, d.publicKeys().encode(), parity);
        }
        assertTrue(seen.containsAll(List.of("P even, Q even", "P even, Q odd", "P odd, Q even", "P odd, Q odd")),
                "parity cases seen: " + seen);
    }

    /** Without the tweak (frost-secp256k1-tr's plain sign), an odd-y key signs for x(P). */
    @Test
    void oddYKeyUntweakedSignatureVerifiesUnderXOfP() throws Exception {
        TrustedDealer.Dealt d;
        do {
            d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        } while (!IndependentTaproot.pOdd(d.publicKeys().groupPublicKey()));
        byte[] p = d.publicKeys().groupPublicKey();
        Signature sig = LocalSigning.sign(Ciphersuite.SECP256K1_TR, d.shares(), d.publicKeys(), new int[] {2, 3}, DIGEST, RNG);
        assertArrayEquals(Arrays.copyOfRange(p, 1, 33), sig.verifyingKey());
        assertTrue(Bip340Verifier.verify(Arrays.copyOfRange(p, 1, 33), DIGEST, sig.bytes()));
    }

    /** Fresh nonces until the group commitment R has odd y (the signers negate their nonces) and even y. */
    @Test
    void oddAndEvenGroupCommitmentsBothVerify() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        byte[] q = Taproot.outputKey(d.publicKeys().groupPublicKey());
        boolean sawOdd = false;
        boolean sawEven = false;
        for (int attempt = 0; attempt < 100 && !(sawOdd && sawEven); attempt++) {
            Signature sig = LocalSigning.sign(Ciphersuite.TAPROOT, d.shares(), d.publicKeys(), new int[] {1, 2}, DIGEST, RNG);
            boolean odd = CURVE.encodePoint(sig.r())[0] == 0x03;
            sawOdd |= odd;
            sawEven |= !odd;
            assertTrue(Bip340Verifier.verify(q, DIGEST, sig.bytes()), odd ? "odd R" : "even R");
        }
        assertTrue(sawOdd, "no group commitment with odd y was produced");
        assertTrue(sawEven, "no group commitment with even y was produced");
    }

    @Test
    void everyThreeOfFiveSubsetSignsOneMessage() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 3, 5, RNG);
        byte[] q = Taproot.outputKey(d.publicKeys().groupPublicKey());
        List<int[]> subsets = LocalSigning.subsets(5, 3);
        assertTrue(subsets.size() == 10);
        for (int[] s : subsets) {
            Signature sig = LocalSigning.sign(Ciphersuite.TAPROOT, d.shares(), d.publicKeys(), s, DIGEST, RNG);
            assertTrue(Bip340Verifier.verify(q, DIGEST, sig.bytes()), Arrays.toString(s));
        }
    }

    @Test
    void sharesFromARealDkgRunSign() throws Exception {
        byte[] sid = new byte[SessionId.LENGTH];
        RNG.nextBytes(sid);
        List<DkgResult> results = LocalFederation.run(CURVE, 2, 3, SessionId.of(sid));
        PublicKeyPackage pub = results.get(0).publicKeyPackage();
        List<SecretShare> shares = results.stream().map(DkgResult::secretShare).toList();
        byte[] q = Taproot.outputKey(pub.groupPublicKey());
        for (int[] s : LocalSigning.subsets(3, 2)) {
            Signature sig = LocalSigning.sign(Ciphersuite.TAPROOT, shares, pub, s, DIGEST, RNG);
            assertTrue(Bip340Verifier.verify(q, DIGEST, sig.bytes()), Arrays.toString(s));
        }
        results.forEach(DkgResult::destroy);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
