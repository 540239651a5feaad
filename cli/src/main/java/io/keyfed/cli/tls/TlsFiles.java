package io.keyfed.cli.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The PEM files a client uses for {@code https://} links: the CA certificates it trusts ({@code --ca},
 * {@code $KEYFED_CA}; without them the JDK's default trust store) and the certificate and key it presents when
 * the server asks ({@code --client-cert}/{@code --client-key}, {@code $KEYFED_CLIENT_CERT}/{@code $KEYFED_CLIENT_KEY}).
 * The JDK's PKIX trust manager and key manager do the checks, fed from in-memory key stores.
 *
 * @param ca         PEM file with one or more trusted certificates, or null for the JDK's default trust
 * @param clientCert PEM certificate chain presented to the server, or null
 * @param clientKey  PEM private key of {@code clientCert}, or null
 */
public record TlsFiles(Path ca, Path clientCert, Path clientKey) {
    public static final String ENV_CA = "KEYFED_CA";
    public static final String ENV_CLIENT_CERT = "KEYFED_CLIENT_CERT";
    public static final String ENV_CLIENT_KEY = "KEYFED_CLIENT_KEY";

    private static final TlsFiles NONE = new TlsFiles(null, null, null);

    public TlsFiles {
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs its key: give both --client-cert and "
                    + "--client-key (or $" + ENV_CLIENT_CERT + " and $" + ENV_CLIENT_KEY + ")");
        }
    }

    /** No files: the JDK's default trust, no client certificate. */
    public static TlsFiles none() {
        return NONE;
    }

    /** From explicit values (null or blank for unset), each falling back to its environment variable. */
    public static TlsFiles of(String ca, String clientCert, String clientKey, Map<String, String> env) {
        return new TlsFiles(path(ca, env.get(ENV_CA)), path(clientCert, env.get(ENV_CLIENT_CERT)),
                path(clientKey, env.get(ENV_CLIENT_KEY)));
    }

    private static Path path(String value, String fallback) {
        String v = value == null || value.isBlank() ? fallback : value;
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /** Whether a client certificate is configured. */
    public boolean hasClientCert() {
        return clientCert != null;
    }

    /**
     * Reads and checks the files now: the CA file holds certificates, the client key is owner-only, matches the
     * certificate's public key.
     */
    public void check() throws TlsFileException {
        if (ca != null) {
            Pem.readCertificates(ca, "CA file");
        }
        if (clientCert != null) {
            clientKeyEntry();
        }
    }

    /** An SSL context that trusts {@link #ca} (or the JDK defaults) and presents the client certificate if set. */
    public SSLContext sslContext() throws TlsFileException {
        try {
            TrustManagerFactory tmf = null;
            if (ca != null) {
                List<X509Certificate> trusted = Pem.readCertificates(ca, "CA file");
                KeyStore ts = emptyStore();
                for (int i = 0; i < trusted.size(); i++) {
                    ts.setCertificateEntry("ca-" + i, trusted.get(i));
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                char[] pass = new char[0];
                KeyStore ks = emptyStore();
                ClientKey k = clientKeyEntry();
                ks.setKeyEntry("client", k.key(), pass, k.chain().toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, pass);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsFileException("cannot set up TLS from " + this + ": " + e.getMessage());
        }
    }

    private record ClientKey(PrivateKey key, List<X509Certificate> chain) {
    }

    private ClientKey clientKeyEntry() throws TlsFileException {
        List<X509Certificate> chain = Pem.readCertificates(clientCert, "client certificate");
        Pem.requireOwnerOnly(clientKey, "client key");
        PrivateKey key = Pem.readPrivateKey(clientKey, "client key");
        if (!KeyPairs.matches(key, chain.get(0).getPublicKey())) {
            throw new TlsFileException("client key " + clientKey + " does not belong to the certificate in "
                    + clientCert);
        }
        return new ClientKey(key, chain);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    @Override
    public String toString() {
        return "TLS files [ca=" + ca + ", client-cert=" + clientCert + ", client-key=" + clientKey + "]";
    }
}
