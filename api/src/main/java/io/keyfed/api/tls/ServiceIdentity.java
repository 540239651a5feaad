package io.keyfed.api.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who a KeyFed TLS certificate says it is: the one {@code keyfed:} URI in its subject alternative names.
 * <ul>
 * <li>{@code keyfed:ledger}: the ledger;</li>
 * <li>{@code keyfed:party:<address>}: the party whose account address is {@code address};</li>
 * <li>{@code keyfed:connector:<address>}: the connector of that party;</li>
 * <li>{@code keyfed:client:<name>}: an operator's client.</li>
 * </ul>
 * A certificate with no such URI, or with more than one, names nobody ({@link #of} is empty). The name is
 * only as good as the trust store that accepted the certificate: a party's trust store holds exactly its
 * peers' certificates, its own connector's and the ledger's (see deploy/TLS.md).
 */
public record ServiceIdentity(Role role, String name) {
    public static final String SCHEME = "keyfed";
    private static final int SAN_URI = 6;

    public enum Role {
        LEDGER, PARTY, CONNECTOR, CLIENT
    }

    public static ServiceIdentity ledger() {
        return new ServiceIdentity(Role.LEDGER, "");
    }

    public static ServiceIdentity party(String address) {
        return new ServiceIdentity(Role.PARTY, address);
    }

    public static ServiceIdentity connector(String partyAddress) {
        return new ServiceIdentity(Role.CONNECTOR, partyAddress);
    }

    /** The URI form, e.g. {@code keyfed:party:kf1...}. */
    public String uri() {
        return role == Role.LEDGER ? SCHEME + ":ledger" : SCHEME + ":" + role.name().toLowerCase(Locale.ROOT) + ":" + name;
    }

    @Override
    public String toString() {
        return uri();
    }

    /** Parses a {@code keyfed:} URI; empty when it is not one of the forms above. */
    public static Optional<ServiceIdentity> parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME + ":")) {
            return Optional.empty();
        }
        String rest = uri.substring(SCHEME.length() + 1);
        if (rest.equals("ledger")) {
            return Optional.of(ledger());
        }
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        String name = rest.substring(colon + 1);
        return switch (rest.substring(0, colon)) {
            case "party" -> Optional.of(party(name));
            case "connector" -> Optional.of(connector(name));
            case "client" -> Optional.of(new ServiceIdentity(Role.CLIENT, name));
            default -> Optional.empty();
        };
    }

    /** The identity a certificate names: its one {@code keyfed:} SAN URI; empty with none or several. */
    public static Optional<ServiceIdentity> of(X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (sans == null) {
            return Optional.empty();
        }
        List<ServiceIdentity> found = new ArrayList<>();
        for (List<?> san : sans) {
            if (san.size() >= 2 && Integer.valueOf(SAN_URI).equals(san.get(0)) && san.get(1) instanceof String s
                    && s.startsWith(SCHEME + ":")) {
                parse(s).ifPresentOrElse(found::add, () -> found.add(null));
            }
        }
        return found.size() == 1 && found.get(0) != null ? Optional.of(found.get(0)) : Optional.empty();
    }

    /**
     * The verified peer certificate of a TLS session, if the peer presented one (with client-auth
     * "request", a client may present none).
     */
    public static Optional<X509Certificate> peerCertificate(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
