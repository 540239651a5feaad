package io.keyfed.connector.health;

import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness: the process is up. A connector waiting for its ledger or party is alive, just not ready. */
@Liveness
@ApplicationScoped
public class ConnectorLiveness implements HealthCheck {

    private final ConnectorConfig config;
    private final ConnectorContext context;

    public ConnectorLiveness(ConnectorConfig config, ConnectorContext context) {
        this.config = config;
        this.context = context;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("keyfed-connector")
                .withData("keyring", config.keyringAddr())
                .withData("party", context.partyAddress() == null ? "(resolving)" : context.partyAddress())
                .up()
                .build();
    }
}
