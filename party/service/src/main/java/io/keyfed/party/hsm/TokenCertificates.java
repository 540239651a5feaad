package io.keyfed.party.hsm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Certificates for the PKCS11 KeyStore's private-key entries (the KeyStore needs a chain; the
 * certificate carries no trust). Built from BouncyCastle's ASN.1 classes in bcprov and signed by
 * a key inside the token with ecdsa-with-SHA256 (SHA-256 in Java, raw ECDSA in the token), so
 * no BouncyCastle PKIX jar is needed.
 */
final class TokenCertificates {
    private static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    /** RFC 5280 4.1.2.5: 99991231235959Z means "no well-defined expiration date". */
    private static final Date NO_EXPIRY = new Date(253402300799000L);

    private TokenCertificates() {
    }

    /**
     * A certificate for {@code subjectKey} named {@code subject}, issued by {@code issuer} and
     * signed with {@code issuerKey} through {@code provider}.
     */
    static X509Certificate issue(Provider provider, String subject, PublicKey subjectKey, String issuer,
            PrivateKey issuerKey, SecureRandom random) throws GeneralSecurityException {
        try {
            V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
            tbs.setSerialNumber(new ASN1Integer(new BigInteger(63, random).add(BigInteger.ONE)));
            tbs.setSignature(ECDSA_SHA256);
            tbs.setIssuer(new X500Name("CN=" + issuer));
            tbs.setSubject(new X500Name("CN=" + subject));
            tbs.setStartDate(new Time(new Date(System.currentTimeMillis() - 60_000L)));
            tbs.setEndDate(new Time(NO_EXPIRY));
            tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded()));
            TBSCertificate tbsCert = tbs.generateTBSCertificate();
            byte[] toSign = tbsCert.getEncoded(ASN1Encoding.DER);

            Signature signer = Signature.getInstance("NONEwithECDSA", provider);
            signer.initSign(issuerKey);
            signer.update(java.security.MessageDigest.getInstance("SHA-256").digest(toSign));
            byte[] der = signer.sign();

            ASN1EncodableVector v = new ASN1EncodableVector(3);
            v.add(tbsCert);
            v.add(ECDSA_SHA256);
            v.add(new DERBitString(der));
            byte[] encoded = new DERSequence(v).getEncoded(ASN1Encoding.DER);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode certificate", e);
        }
    }
}
