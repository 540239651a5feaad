package io.keyfed.party.hsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.KeyAgreement;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;

/**
 * The private-key operations behind {@link HsmToken}: secp256k1 ECDSA with the identity key and P-256
 * ECDH (then HKDF-SHA256) with the optional key-agreement key, both computed inside the token.
 *
 * <p>Invariants: holds token handles and public keys only; the ECDH shared secret is wiped after HKDF and
 * never logged or put in an exception or {@link #toString()}. A fresh JCA engine per call; every token
 * call goes through {@link TokenSession#withToken} and blocks (off the Vert.x event loop).
 */
final class TokenSigning {
    private static final byte[] ECDH_SALT = "keyfed/hsm/ecdh/v1".getBytes(StandardCharsets.US_ASCII);

    private final TokenSession session;
    private final Provider provider;
    private final PrivateKey identityKey;
    private final byte[] identityPublicKey;
    private final PrivateKey agreementKey;
    private final byte[] agreementPublicKey;
    private final X509Certificate agreementCertificate;

    /** The agreement arguments are all null when the key-agreement key is disabled. */
    TokenSigning(TokenSession session, PrivateKey identityKey, byte[] identityPublicKey, PrivateKey agreementKey,
            byte[] agreementPublicKey, X509Certificate agreementCertificate) {
        this.session = session;
        this.provider = session.provider();
        this.identityKey = identityKey;
        this.identityPublicKey = identityPublicKey;
        this.agreementKey = agreementKey;
        this.agreementPublicKey = agreementPublicKey;
        this.agreementCertificate = agreementCertificate;
    }

    /** See {@link HsmToken#identityPublicKey()}. */
    byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    /** See {@link HsmToken#signIdentity(byte[])}. */
    byte[] signIdentity(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] digest = Hashes.sha256(message);
        return session.withToken(HsmOperation.SIGN, () -> {
            Signature signer = Signature.getInstance("NONEwithECDSA", provider);
            signer.initSign(identityKey);
            signer.update(digest);
            return Secp256k1.derToCompactLowS(signer.sign());
        });
    }

    boolean hasAgreementKey() {
        return agreementKey != null;
    }

    /** See {@link HsmToken#agreementPublicKey()}. */
    byte[] agreementPublicKey() {
        requireAgreement();
        return agreementPublicKey.clone();
    }

    /** See {@link HsmToken#agreementCertificate()}. */
    byte[] agreementCertificate() {
        requireAgreement();
        try {
            return agreementCertificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot encode the agreement certificate", e);
        }
    }

    /** See {@link HsmToken#ecdh(byte[], byte[])}. */
    byte[] ecdh(byte[] peerPublicKey, byte[] info) {
        requireAgreement();
        java.security.interfaces.ECPublicKey peer = EcKeys.toJca(EcKeys.decode(peerPublicKey, EcKeys.P256), EcKeys.P256);
        byte[] hkdfInfo = info == null ? new byte[0] : info.clone();
        return session.withToken(HsmOperation.ECDH, () -> {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH", provider);
            agreement.init(agreementKey);
            agreement.doPhase(peer, true);
            byte[] z = agreement.generateSecret();
            try {
                HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
                hkdf.init(new HKDFParameters(z, ECDH_SALT, hkdfInfo));
                byte[] out = new byte[32];
                hkdf.generateBytes(out, 0, out.length);
                return out;
            } finally {
                Arrays.fill(z, (byte) 0);
            }
        });
    }

    private void requireAgreement() {
        if (agreementKey == null) {
            throw new IllegalStateException("the key-agreement key is disabled (keyfed.party.hsm.agreement-enabled=false)");
        }
    }

    @Override
    public String toString() {
        return "TokenSigning[" + provider.getName() + (agreementKey == null ? "" : ", agreement") + "]";
    }
}
