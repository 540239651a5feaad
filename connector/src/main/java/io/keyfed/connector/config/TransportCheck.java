package io.keyfed.connector.config;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.keyfed.api.tls.TransportSecurity;
import io.quarkus.runtime.StartupEvent;

/** Applies {@link TransportSecurity}'s rule before anything else starts: TLS, or plain text asked for explicitly. */
@Singleton
public class TransportCheck {
    private static final Logger LOG = Logger.getLogger(TransportCheck.class);

    void onStart(@Observes @Priority(1) StartupEvent event, Config config) {
        TransportSecurity.check(config, LOG, "the connector", List.of("ledger", "party"));
    }
}
