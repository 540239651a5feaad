package io.keyfed.cli.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.Locale;

/** A failed TLS handshake in words an operator can act on, naming the option that fixes it. */
public final class TlsProblem {
    private TlsProblem() {
    }

    /** What went wrong, from the exception and its causes; {@code tls} says which files were in use. */
    public static String explain(Throwable e, TlsFiles tls) {
        String all = messages(e);
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)
                || all.contains("pkix path") || all.contains("unable to find valid certification path")) {
            return tls.ca() == null
                    ? "the server's certificate is not trusted; give the CA that issued it with --ca FILE (or $"
                            + TlsFiles.ENV_CA + ")"
                    : "the server's certificate is not issued by a CA in " + tls.ca();
        }
        if (all.contains("no subject alternative") || all.contains("no name matching")) {
            return "the server's certificate does not name the host of the URL (" + firstLine(e) + ")";
        }
        if (all.contains("certificate_required") || all.contains("bad_certificate")
                || all.contains("unknown_ca") || all.contains("certificate_unknown")
                || all.contains("access_denied")) {
            return tls.hasClientCert()
                    ? "the server refused the client certificate " + tls.clientCert() + " (" + firstLine(e) + ")"
                    : "the server asks for a client certificate; give one with --client-cert FILE --client-key FILE"
                            + " (or $" + TlsFiles.ENV_CLIENT_CERT + " and $" + TlsFiles.ENV_CLIENT_KEY + ")";
        }
        if (all.contains("unrecognized ssl message") || all.contains("plaintext connection")) {
            return "the server does not speak TLS at this port (use http:// for a plain-text server)";
        }
        return firstLine(e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
