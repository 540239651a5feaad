package io.keyfed.cli.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM files of certificates and private keys, read and written with BouncyCastle. Private keys are written as
 * unencrypted PKCS#8 ({@code PRIVATE KEY}), the form Quarkus's TLS registry ({@code key-store.pem}), Vert.x and
 * grpc-java read; both PKCS#8 and SEC1 ({@code EC PRIVATE KEY}) are read. Errors name the file and the problem,
 * never key material.
 */
public final class Pem {
    /** Owner read/write only: private keys. */
    public static final Set<PosixFilePermission> KEY_PERMS = PosixFilePermissions.fromString("rw-------");
    /** World-readable: certificates. */
    public static final Set<PosixFilePermission> CERT_PERMS = PosixFilePermissions.fromString("rw-r--r--");

    private Pem() {
    }

    /** Every certificate of a PEM file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file, String what) throws TlsFileException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (!(o instanceof X509CertificateHolder h)) {
                    throw new TlsFileException(what + " " + file + " holds a PEM object that is not a certificate");
                }
                out.add(conv.getCertificate(h));
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw readError(file, what, e);
        }
        if (out.isEmpty()) {
            throw new TlsFileException(what + " " + file + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The one private key of a PEM file (PKCS#8 or SEC1 EC). */
    public static PrivateKey readPrivateKey(Path file, String what) throws TlsFileException {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            PrivateKey key;
            if (o instanceof PrivateKeyInfo info) {
                key = conv.getPrivateKey(info);
            } else if (o instanceof PEMKeyPair pair) {
                key = conv.getKeyPair(pair).getPrivate();
            } else {
                throw new TlsFileException(what + " " + file + " holds no unencrypted PEM private key (expected "
                        + "-----BEGIN PRIVATE KEY-----)");
            }
            if (p.readObject() != null) {
                throw new TlsFileException(what + " " + file + " holds more than one PEM object");
            }
            return key;
        } catch (IOException | RuntimeException e) {
            throw readError(file, what, e);
        }
    }

    /** Refuses a private key file that group or others may access (as ssh does). */
    public static void requireOwnerOnly(Path file, String what) throws TlsFileException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw readError(file, what, e);
        }
        for (PosixFilePermission perm : perms) {
            if (!perm.name().startsWith("OWNER_")) {
                throw new TlsFileException(what + " " + file + " is accessible by group or others ("
                        + PosixFilePermissions.toString(perms) + "); restrict it with: chmod 600 " + file);
            }
        }
    }

    /** The PEM text of certificates. */
    public static String certificates(List<X509Certificate> certs) {
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            for (X509Certificate c : certs) {
                w.writeObject(new PemObject("CERTIFICATE", c.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
        return sw.toString();
    }

    /** The PEM text of a private key as PKCS#8 ({@code PRIVATE KEY}). */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key is not PKCS#8-encodable");
        }
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
        return sw.toString();
    }

    private static TlsFileException readError(Path file, String what, Exception e) {
        if (e instanceof TlsFileException t) {
            return t;
        }
        if (e instanceof NoSuchFileException) {
            return new TlsFileException(what + " " + file + " does not exist");
        }
        if (e instanceof AccessDeniedException) {
            return new TlsFileException(what + " " + file + " cannot be read (permission denied)");
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new TlsFileException(what + " " + file + " is not a valid PEM file: " + detail);
    }
}
