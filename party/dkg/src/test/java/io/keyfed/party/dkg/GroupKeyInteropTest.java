package io.keyfed.party.dkg;

import static io.keyfed.party.dkg.TestSupport.interpolate;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.Test;

/**
 * The group public key is usable by standard verifiers: a signature made with the (test-only)
 * reconstructed secret verifies with BouncyCastle's ECDSA (secp256k1) and RFC 8032 Ed25519 verifiers.
 */
class GroupKeyInteropTest {
    static final byte[] MSG = "keyfed interop".getBytes(StandardCharsets.UTF_8);

    static BigInteger reconstruct(Curve c, List<DkgResult> rs, List<Integer> ids) {
        return interpolate(c, ids, ids.stream().map(i -> TestSupport.big(c, rs.get(i - 1).secretShare().value())).toList());
    }

    @Test
    void secp256k1GroupKeyVerifiesEcdsa() throws Exception {
        Curve c = Secp256k1Curve.INSTANCE;
        List<DkgResult> rs = LocalFederation.run(c, 2, 3, TestSessions.example(1, 3, 2));
        BigInteger x = reconstruct(c, rs, List.of(1, 3));
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
        ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        byte[] h = MessageDigest.getInstance("SHA-256").digest(MSG);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(x, dom));
        BigInteger[] sig = signer.generateSignature(h);
        ECDSASigner verifier = new ECDSASigner();
        byte[] y = rs.get(1).publicKeyPackage().groupPublicKey();
        verifier.init(false, new ECPublicKeyParameters(x9.getCurve().decodePoint(y), dom));
        assertTrue(verifier.verifySignature(h, sig[0], sig[1]));
        h[0] ^= 1;
        assertFalse(verifier.verifySignature(h, sig[0], sig[1]));
    }

    @Test
    void ed25519GroupKeyVerifiesRfc8032() throws Exception {
        Ed25519Curve c = Ed25519Curve.INSTANCE;
        List<DkgResult> rs = LocalFederation.run(c, 3, 5, TestSessions.example(2, 5, 3));
        BigInteger x = reconstruct(c, rs, List.of(2, 4, 5));
        byte[] a = rs.get(0).publicKeyPackage().groupPublicKey();
        // Ed25519 with a raw scalar: R = r·B, k = SHA-512(R || A || M) mod l, S = r + k·x
        BigInteger r = TestSupport.big(c, c.randomScalar(new SecureRandom()));
        byte[] rEnc = c.encodePoint(TestSupport.mulBase(c, r));
        MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
        sha512.update(rEnc);
        sha512.update(a);
        sha512.update(MSG);
        BigInteger k = TestSupport.fromLe(sha512.digest()).mod(c.order());
        byte[] s = TestSupport.le32(r.add(k.multiply(x)).mod(c.order()));
        byte[] sig = new byte[64];
        System.arraycopy(rEnc, 0, sig, 0, 32);
        System.arraycopy(s, 0, sig, 32, 32);
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(a, 0));
        v.update(MSG, 0, MSG.length);
        assertTrue(v.verifySignature(sig));
        v.update(MSG, 0, MSG.length - 1);
        assertFalse(v.verifySignature(sig));
    }
}
