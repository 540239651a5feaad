package io.keyfed.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

/**
 * The tests' TLS clients, from the PEM files {@code ./keyfed certs} made for the run: a CA to trust, and
 * optionally a certificate and key to present.
 */
final class Tls {
    private Tls() {
    }

    /** An SSL context trusting {@code ca}, presenting no certificate. */
    static SSLContext trusting(Path ca) {
        return context(ca, null, null);
    }

    /** An SSL context trusting {@code ca} and presenting {@code cert} with {@code key} (PKCS#8 PEM). */
    static SSLContext context(Path ca, Path cert, Path key) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate(ca));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (cert != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", privateKey(key), new char[0], new Certificate[] { certificate(cert) });
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("TLS material of the run does not load: " + e.getMessage(), e);
        }
    }

    /** A gRPC channel to 127.0.0.1:{@code port} over TLS trusting {@code ca}, with a client certificate if given. */
    static ManagedChannel channel(int port, Path ca, Path cert, Path key) {
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
            if (cert != null) {
                b.keyManager(cert.toFile(), key.toFile());
            }
            ChannelCredentials creds = b.build();
            return Grpc.newChannelBuilderForAddress("127.0.0.1", port, creds).build();
        } catch (IOException e) {
            throw new IllegalStateException("TLS material of the run does not load: " + e.getMessage(), e);
        }
    }

    private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        String b64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }
}
