package io.keyfed.party.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.LocalFederation;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * FROST(Ed25519, SHA-512) signatures checked as plain RFC 8032 signatures by BouncyCastle's
 * {@code Ed25519.verify}, which shares no code with the engine.
 */
class Ed25519SigningTest {
    static final Curve CURVE = Ed25519Curve.INSTANCE;
    static final SecureRandom RNG = new SecureRandom();
    static final byte[] MESSAGE = "transfer 1 SOL to the treasury".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyThreeOfFiveSubsetSignsOneMessage() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 3, 5, RNG);
        byte[] pk = d.publicKeys().groupPublicKey();
        List<int[]> subsets = LocalSigning.subsets(5, 3);
        assertEquals(10, subsets.size());
        for (int[] s : subsets) {
            Signature sig = LocalSigning.sign(Ciphersuite.ED25519_SHA512, d.shares(), d.publicKeys(), s, MESSAGE, RNG);
            assertArrayEquals(pk, sig.verifyingKey());
            assertTrue(rfc8032Verify(pk, MESSAGE, sig.bytes()), Arrays.toString(s));
        }
    }

    @Test
    void signatureDoesNotVerifyForAnotherMessage() throws Exception {
        TrustedDealer.Dealt d = TrustedDealer.keygen(CURVE, 2, 3, RNG);
        Signature sig = LocalSigning.sign(Ciphersuite.ED25519_SHA512, d.shares(), d.publicKeys(), new int[] {1, 2}, MESSAGE, RNG);
        byte[] other = MESSAGE.clone();
        other[0] ^= 1;
        assertTrue(rfc8032Verify(d.publicKeys().groupPublicKey(), MESSAGE, sig.bytes()));
        assertFalse(rfc8032Verify(d.publicKeys().groupPublicKey(), other, sig.bytes()));
    }

    @Test
    void sharesFromARealDkgRunSign() throws Exception {
        byte[] sid = new byte[SessionId.LENGTH];
        RNG.nextBytes(sid);
        List<DkgResult> results = LocalFederation.run(CURVE, 2, 3, SessionId.of(sid));
        PublicKeyPackage pub = results.get(0).publicKeyPackage();
        List<SecretShare> shares = results.stream().map(DkgResult::secretShare).toList();
        for (int[] s : LocalSigning.subsets(3, 2)) {
            Signature sig = LocalSigning.sign(Ciphersuite.ED25519_SHA512, shares, pub, s, MESSAGE, RNG);
            assertTrue(rfc8032Verify(pub.groupPublicKey(), MESSAGE, sig.bytes()), Arrays.toString(s));
        }
        results.forEach(DkgResult::destroy);
    }

    static boolean rfc8032Verify(byte[] pk, byte[] msg, byte[] sig) {
        return Ed25519.verify(sig, 0, pk, 0, msg, 0, msg.length);
    }
}
