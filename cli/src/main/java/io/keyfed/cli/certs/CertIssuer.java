package io.keyfed.cli.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Makes EC P-256 key pairs, a self-signed CA certificate and leaf certificates for the federation's services,
 * with BouncyCastle's certificate builder and the JDK's EC keys and ECDSA signatures. A leaf certificate names
 * its holder by a SAN URI ({@code keyfed:party:ADDRESS}, ...) beside the DNS names and IP addresses it serves,
 * and is good for both TLS server and client authentication.
 */
public final class CertIssuer {
    /** The CA certificate's lifetime. */
    public static final Duration CA_LIFETIME = Duration.ofDays(3650);
    /** Certificates start this much before now, so that a peer whose clock is a little behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final SecureRandom random;

    public CertIssuer(SecureRandom random) {
        this.random = random;
    }

    /** A fresh EC P-256 key pair. */
    public KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 keys are not available", e);
        }
    }

    /** A self-signed CA certificate: basicConstraints CA:true (critical), keyCertSign and cRLSign. */
    public X509Certificate caCertificate(KeyPair ca, String commonName, Instant now) {
        X500Name name = cn(commonName);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(name, name, ca.getPublic(), now, CA_LIFETIME)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
            return sign(b, ca.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /**
     * A leaf certificate for {@code subject}: CN = {@code commonName}; SAN the URI, then DNS localhost, IP
     * 127.0.0.1 and each host (an IP address if it parses as one, else a DNS name); keyUsage digitalSignature
     * and keyAgreement (critical); extendedKeyUsage serverAuth and clientAuth; basicConstraints CA:false.
     */
    public X509Certificate leafCertificate(PublicKey subject, String commonName, String uri, List<String> hosts,
            X509Certificate caCert, PrivateKey caKey, Instant now, Duration lifetime) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = builder(issuer, cn(commonName), subject, now, lifetime)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(uri, hosts))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subject))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(caCert.getPublicKey()));
            return sign(b, caKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + commonName, e);
        }
    }

    /** The SANs of a leaf: the URI, DNS localhost, IP 127.0.0.1, then the hosts (duplicates left out). */
    static GeneralNames subjectAltNames(String uri, List<String> hosts) {
        List<String> all = new ArrayList<>();
        all.add("localhost");
        all.add("127.0.0.1");
        for (String h : hosts) {
            if (!all.contains(h)) {
                all.add(h);
            }
        }
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        for (String h : all) {
            names.add(new GeneralName(IPAddress.isValid(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Instant now,
            Duration lifetime) {
        // A random positive 128-bit serial (RFC 5280 allows up to 20 octets; 17 with the sign byte).
        BigInteger serial = new BigInteger(128, random).setBit(127);
        Instant from = now.minus(BACKDATE);
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(now.plus(lifetime)),
                subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
        }
    }

    private static X500Name cn(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }
}
