package io.keyfed.cli.certs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.util.IPAddress;

import io.keyfed.cli.tls.KeyPairs;
import io.keyfed.cli.tls.Pem;
import io.keyfed.cli.tls.TlsFileException;

/**
 * A directory of PEM files for a federation: {@code ca.crt}/{@code ca.key} and, per service or client,
 * {@code NAME.crt}/{@code NAME.key}. Existing files are kept (and checked: a kept certificate must match its key
 * and be issued by the CA); missing ones are made; {@code force} re-issues leaf certificates for their keys.
 * Keys are created owner-only (0600) from the start, certificates 0644; every file is written to a temporary
 * file and moved into place.
 */
public final class CertDir {
    public static final String CA = "ca";
    static final String CA_NAME = "KeyFed CA";
    /** A kept certificate that expires sooner than this gets a warning. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);
    private static final Set<PosixFilePermission> DIR_PERMS = PosixFilePermissions.fromString("rwx------");

    /** What happened to one file. */
    public enum Action {
        CREATED("created"), KEPT("kept"), REISSUED("re-issued");

        private final String word;

        Action(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public record Written(Path file, Action action) {
    }

    /** A leaf: its file name and CN ({@code party-ADDRESS}) and its SAN URI ({@code keyfed:party:ADDRESS}). */
    public record Leaf(String name, String uri) {
    }

    private final Path dir;
    private final CertIssuer issuer;
    private final Clock clock;
    private final List<String> warnings = new ArrayList<>();
    private X509Certificate caCert;
    private PrivateKey caKey;

    public CertDir(Path dir, CertIssuer issuer, Clock clock) {
        this.dir = dir;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Path crt(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    /** Notes about kept certificates (expiring soon, other hosts than asked for). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Loads the CA, or creates it when neither file exists (or a new certificate when only the key exists). */
    public List<Written> ensureCa() throws TlsFileException, IOException {
        Path crt = crt(CA);
        Path key = key(CA);
        boolean hasCrt = exists(crt);
        boolean hasKey = exists(key);
        if (hasCrt && !hasKey) {
            throw new TlsFileException(crt + " exists but " + key + " does not, so the CA cannot sign: restore "
                    + key + ", or move " + crt + " away to make a new CA (every certificate must then be re-issued "
                    + "and every trust store updated)");
        }
        ensureDir();
        Instant now = clock.instant();
        if (hasKey) {
            caKey = loadKey(key, "CA key");
            if (hasCrt) {
                caCert = Pem.readCertificates(crt, "CA certificate").get(0);
                if (caCert.getBasicConstraints() < 0) {
                    throw new TlsFileException(crt + " is not a CA certificate (no basicConstraints CA:true)");
                }
                if (!KeyPairs.matches(caKey, caCert.getPublicKey())) {
                    throw new TlsFileException(key + " does not belong to the certificate in " + crt);
                }
                warnIfExpiring(crt, caCert, now);
                return List.of(new Written(crt, Action.KEPT), new Written(key, Action.KEPT));
            }
            PublicKey pub = publicKeyOf(caKey);
            caCert = issuer.caCertificate(new KeyPair(pub, caKey), CA_NAME, now);
            write(crt, Pem.certificates(List.of(caCert)), Pem.CERT_PERMS);
            return List.of(new Written(crt, Action.CREATED), new Written(key, Action.KEPT));
        }
        KeyPair kp = issuer.newKeyPair();
        caKey = kp.getPrivate();
        caCert = issuer.caCertificate(kp, CA_NAME, now);
        write(key, Pem.privateKey(caKey), Pem.KEY_PERMS);
        write(crt, Pem.certificates(List.of(caCert)), Pem.CERT_PERMS);
        return List.of(new Written(crt, Action.CREATED), new Written(key, Action.CREATED));
    }

    /**
     * Makes sure a leaf's key and certificate exist; {@code force} re-issues the certificate (for the same key).
     * Call {@link #ensureCa()} first.
     */
    public List<Written> ensureLeaf(Leaf leaf, List<String> hosts, Duration lifetime, boolean force)
            throws TlsFileException, IOException {
        if (caCert == null) {
            throw new IllegalStateException("ensureCa() first");
        }
        Path crt = crt(leaf.name());
        Path key = key(leaf.name());
        boolean hasCrt = exists(crt);
        boolean hasKey = exists(key);
        Instant now = clock.instant();
        if (hasCrt && !hasKey && !force) {
            throw new TlsFileException(crt + " exists but " + key + " does not: restore the key, or re-issue both "
                    + "with --force");
        }
        if (hasCrt && hasKey && !force) {
            PrivateKey k = loadKey(key, "key");
            X509Certificate c = Pem.readCertificates(crt, "certificate").get(0);
            if (!KeyPairs.matches(k, c.getPublicKey())) {
                throw new TlsFileException(key + " does not belong to the certificate in " + crt
                        + "; re-issue the certificate with --force");
            }
            if (!issuedByCa(c)) {
                throw new TlsFileException(crt + " was not issued by " + crt(CA) + "; re-issue it with --force");
            }
            warnIfExpiring(crt, c, now);
            Set<String> want = expectedNames(leaf.uri(), hosts);
            if (!want.equals(namesOf(c))) {
                warnings.add(crt + " names " + String.join(", ", namesOf(c)) + ", not " + String.join(", ", want)
                        + "; --force re-issues it");
            }
            return List.of(new Written(crt, Action.KEPT), new Written(key, Action.KEPT));
        }
        List<Written> out = new ArrayList<>();
        PublicKey pub;
        PrivateKey priv;
        Action keyAction;
        if (hasKey) {
            priv = loadKey(key, "key");
            pub = publicKeyOf(priv);
            keyAction = Action.KEPT;
        } else {
            KeyPair kp = issuer.newKeyPair();
            priv = kp.getPrivate();
            pub = kp.getPublic();
            write(key, Pem.privateKey(priv), Pem.KEY_PERMS);
            keyAction = Action.CREATED;
        }
        X509Certificate c = issuer.leafCertificate(pub, leaf.name(), leaf.uri(), hosts, caCert, caKey, now, lifetime);
        write(crt, Pem.certificates(List.of(c)), Pem.CERT_PERMS);
        out.add(new Written(crt, hasCrt ? Action.REISSUED : Action.CREATED));
        out.add(new Written(key, keyAction));
        return out;
    }

    private boolean issuedByCa(X509Certificate c) {
        if (!c.getIssuerX500Principal().equals(caCert.getSubjectX500Principal())) {
            return false;
        }
        try {
            c.verify(caCert.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private void warnIfExpiring(Path crt, X509Certificate c, Instant now) {
        Instant end = c.getNotAfter().toInstant();
        if (end.isBefore(now.plus(EXPIRY_WARNING))) {
            warnings.add(crt + (end.isBefore(now) ? " expired on " : " expires on ") + end
                    + (crt.equals(crt(CA)) ? "" : "; --force re-issues it"));
        }
    }

    /** The SANs a leaf gets, as "URI:...", "DNS:...", "IP:..." (IP addresses in the JDK's canonical form). */
    static Set<String> expectedNames(String uri, List<String> hosts) {
        Set<String> out = new TreeSet<>();
        out.add("URI:" + uri);
        out.add("DNS:localhost");
        out.add("IP:" + canonicalIp("127.0.0.1"));
        for (String h : hosts) {
            out.add(IPAddress.isValid(h) ? "IP:" + canonicalIp(h) : "DNS:" + h);
        }
        return out;
    }

    static Set<String> namesOf(X509Certificate c) {
        Set<String> out = new TreeSet<>();
        try {
            if (c.getSubjectAlternativeNames() == null) {
                return out;
            }
            for (List<?> n : c.getSubjectAlternativeNames()) {
                int type = (Integer) n.get(0);
                String v = String.valueOf(n.get(1));
                switch (type) {
                    case 6 -> out.add("URI:" + v);
                    case 2 -> out.add("DNS:" + v);
                    case 7 -> out.add("IP:" + canonicalIp(v));
                    default -> out.add("other:" + v);
                }
            }
        } catch (CertificateParsingException e) {
            out.add("unreadable");
        }
        return out;
    }

    private static String canonicalIp(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return literal;
        }
    }

    private PrivateKey loadKey(Path key, String what) throws TlsFileException {
        Pem.requireOwnerOnly(key, what);
        return Pem.readPrivateKey(key, what);
    }

    /** The public key of an EC private key (d·G), for a key file whose certificate is to be made. */
    private static PublicKey publicKeyOf(PrivateKey key) throws TlsFileException {
        try {
            return EcKeys.publicKey(key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TlsFileException("cannot derive the public key of an existing key (" + e.getMessage()
                    + "); keys made by keyfed certs are EC P-256");
        }
    }

    private static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private void ensureDir() throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMS));
        }
    }

    /** Writes a file through a temporary one created with {@code perms}, then moved over the target. */
    private void write(Path target, String content, Set<PosixFilePermission> perms) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(perms));
        try {
            Files.setPosixFilePermissions(tmp, perms); // the umask may have taken bits away from a certificate
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
