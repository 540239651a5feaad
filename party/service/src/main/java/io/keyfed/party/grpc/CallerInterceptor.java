package io.keyfed.party.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.keyfed.api.tls.ServiceIdentity;
import io.keyfed.api.tls.TransportSecurity;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Reads the client certificate of every gRPC call from its TLS session (the Vert.x gRPC server puts the
 * session in {@link Grpc#TRANSPORT_ATTR_SSL_SESSION}) and makes it the call's {@link Caller}.
 *
 * <p>The TLS handshake anchors client certificates at the federation's CA (so that clients present them);
 * this adds the pin: a certificate counts only if it is, byte for byte, one of {@code keyfed.tls.pinned-certs}
 * (exactly this party's peers' certificates and its own connector's). Whoever holds the CA can make a
 * certificate that names any party, but not one of these. {@link PartyAccess} then decides what the pinned
 * name may call.
 */
@Singleton
@GlobalInterceptor
public class CallerInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(CallerInterceptor.class);
    /** Config key: the PEM certificate files this party pins (comma-separated); required with TLS. */
    public static final String PINNED_CERTS = "keyfed.tls.pinned-certs";

    private final List<byte[]> pinned;

    @Inject
    public CallerInterceptor(Config config, @ConfigProperty(name = PINNED_CERTS) Optional<List<String>> files) {
        this(load(files.orElse(List.of())));
        if (!TransportSecurity.plaintext(config) && pinned.isEmpty()) {
            throw new IllegalStateException("the party needs " + PINNED_CERTS + ": the certificate files of exactly"
                    + " its peers and its own connector (deploy/TLS.md)");
        }
        LOG.infof("%d client certificates pinned", pinned.size());
    }

    CallerInterceptor(List<byte[]> pinnedEncodings) {
        this.pinned = List.copyOf(pinnedEncodings);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        var session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Caller caller = session == null ? Caller.PLAINTEXT
                : ServiceIdentity.peerCertificate(session).map(this::caller).orElse(Caller.ANONYMOUS);
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }

    Caller caller(X509Certificate cert) {
        boolean isPinned;
        try {
            byte[] der = cert.getEncoded();
            isPinned = pinned.stream().anyMatch(p -> Arrays.equals(p, der));
        } catch (java.security.cert.CertificateEncodingException e) {
            isPinned = false;
        }
        return new Caller(true, ServiceIdentity.of(cert), isPinned);
    }

    static List<byte[]> load(List<String> files) {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            if (f.isBlank()) {
                continue;
            }
            try (InputStream in = Files.newInputStream(Path.of(f.trim()))) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    out.add(c.getEncoded());
                }
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(PINNED_CERTS + ": " + f.trim() + " does not load as PEM certificates: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }
}
