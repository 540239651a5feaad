package io.keyfed.api.tls;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

class TransportSecurityTest {
    private static final Logger LOG = Logger.getLogger(TransportSecurityTest.class);

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }

    @Test
    void aServiceWithoutKeyOrClientTlsRefusesToStartNamingWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TransportSecurity.check(config(Map.of()), LOG, "the connector", List.of("ledger", "party")));
        assertTrue(e.getMessage().contains("quarkus.tls.key-store.pem.0.cert"), e.getMessage());
        assertTrue(e.getMessage().contains("quarkus.grpc.clients.ledger.ssl.trust-store"), e.getMessage());
        assertTrue(e.getMessage().contains("quarkus.grpc.clients.party.ssl.trust-store"), e.getMessage());
    }

    @Test
    void oneClientWithoutTlsIsEnoughToRefuse() {
        Config c = config(Map.of("quarkus.tls.key-store.pem.0.cert", "a.crt",
                "quarkus.grpc.clients.ledger.ssl.trust-store", "ledger.crt"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TransportSecurity.check(c, LOG, "the connector", List.of("ledger", "party")));
        assertTrue(e.getMessage().contains("quarkus.grpc.clients.party.ssl.trust-store"), e.getMessage());
        assertFalse(e.getMessage().contains("key-store"), e.getMessage());
    }

    @Test
    void aServiceWithItsKeyAndClientTlsStarts() {
        Config c = config(Map.of("quarkus.tls.key-store.pem.0.cert", "a.crt",
                "quarkus.grpc.clients.ledger.tls-configuration-name", "ledger"));
        assertDoesNotThrow(() -> TransportSecurity.check(c, LOG, "the party", List.of("ledger")));
        assertFalse(TransportSecurity.plaintext(c));
    }

    @Test
    void aManagementInterfaceWithoutTlsIsRefused() {
        Config c = config(Map.of("quarkus.tls.key-store.pem.0.cert", "a.crt", "quarkus.management.enabled", "true"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TransportSecurity.check(c, LOG, "the party", List.of()));
        assertTrue(e.getMessage().contains("quarkus.management.tls-configuration-name"), e.getMessage());
    }

    @Test
    void plainTextIsOnlyTheExplicitFlag() {
        assertTrue(TransportSecurity.plaintext(config(Map.of("quarkus.http.insecure-requests", "enabled"))));
        assertFalse(TransportSecurity.plaintext(config(Map.of("quarkus.http.insecure-requests", "redirect"))));
        assertFalse(TransportSecurity.plaintext(config(Map.of())));
        assertDoesNotThrow(() -> TransportSecurity.check(config(Map.of("quarkus.http.insecure-requests", "enabled")),
                LOG, "the ledger", List.of()));
    }
}
