package io.keyfed.api.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The start-up rule every KeyFed service applies to its transport: TLS on its port and on each of its gRPC
 * clients, unless plain text was asked for explicitly.
 * <ul>
 * <li>TLS (the default): {@code quarkus.http.insecure-requests=disabled}, so the service listens only with TLS,
 * on {@code quarkus.http.ssl-port} (which defaults to {@code quarkus.http.port}). Its key and certificate are the
 * TLS registry's default configuration ({@code quarkus.tls.key-store.*}). Each gRPC client the service names
 * must have Quarkus's gRPC client TLS settings: {@code quarkus.grpc.clients.<name>.ssl.trust-store} (the
 * server's pinned certificate), {@code ssl.certificate} and {@code ssl.key} (the client's own), or a TLS
 * registry configuration ({@code tls-configuration-name}, which only the Vert.x-based client honours). A service missing any of these
 * refuses to start, naming the key to set.</li>
 * <li>Plain text, for development only: {@code quarkus.http.insecure-requests=enabled}. The service then logs a
 * WARN at start, and the party accepts callers it cannot identify.</li>
 * </ul>
 */
public final class TransportSecurity {
    public static final String INSECURE_REQUESTS = "quarkus.http.insecure-requests";

    private TransportSecurity() {
    }

    /** True when plain text was asked for ({@code quarkus.http.insecure-requests=enabled}). */
    public static boolean plaintext(Config config) {
        return config.getOptionalValue(INSECURE_REQUESTS, String.class).map(v -> v.equalsIgnoreCase("enabled"))
                .orElse(false);
    }

    /**
     * Applies the rule above; throws {@link IllegalStateException} naming every missing key, or logs the
     * plain-text warning.
     */
    public static void check(Config config, Logger log, String service, List<String> grpcClients) {
        if (plaintext(config)) {
            log.warnf("%s runs in PLAIN TEXT (%s=enabled): development only. Its port and its gRPC clients (%s) are"
                    + " neither encrypted nor authenticated; anyone who can reach the port can call it", service,
                    INSECURE_REQUESTS, String.join(", ", grpcClients));
            return;
        }
        List<String> missing = new ArrayList<>();
        Optional<String> serverTls = config.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
        if (serverTls.isEmpty() && !keyStoreConfigured(config, "quarkus.tls.")) {
            missing.add("a key and certificate for the server (quarkus.tls.key-store.pem.0.cert and"
                    + " quarkus.tls.key-store.pem.0.key)");
        }
        if (config.getOptionalValue("quarkus.management.enabled", Boolean.class).orElse(false)
                && config.getOptionalValue("quarkus.management.tls-configuration-name", String.class).isEmpty()) {
            missing.add("quarkus.management.tls-configuration-name (a TLS configuration with this service's key and"
                    + " certificate, for its management interface)");
        }
        for (String client : grpcClients) {
            String prefix = "quarkus.grpc.clients." + client + ".";
            if (config.getOptionalValue(prefix + "ssl.trust-store", String.class).isEmpty()
                    && config.getOptionalValue(prefix + "tls-configuration-name", String.class).isEmpty()) {
                missing.add(prefix + "ssl.trust-store (with " + prefix + "ssl.certificate and ssl.key)");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(service + " needs TLS: set " + String.join("; ", missing)
                    + " (deploy/TLS.md lists each service's files; ./keyfed certs makes them for a local federation)."
                    + " For development only, " + INSECURE_REQUESTS + "=enabled runs it in plain text");
        }
        log.infof("%s: TLS on its port (client certificates: %s) and on its gRPC clients (%s)", service,
                config.getOptionalValue("quarkus.http.ssl.client-auth", String.class).orElse("none"),
                String.join(", ", grpcClients));
    }

    private static boolean keyStoreConfigured(Config config, String prefix) {
        for (String key : List.of("key-store.pem.0.cert", "key-store.p12.path", "key-store.jks.path",
                "key-store.pem.keystore.cert")) {
            if (config.getOptionalValue(prefix + key, String.class).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
