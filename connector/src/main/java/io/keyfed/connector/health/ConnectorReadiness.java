package io.keyfed.connector.health;

import io.grpc.Status;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.watch.LedgerWatchClient;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the watch streams are connected (key requests, and sign requests unless disabled), and the party
 * answers GetIdentity (within {@code keyfed.connector.health-probe-timeout}) with the address the connector relays
 * for.
 */
@Readiness
@ApplicationScoped
public class ConnectorReadiness implements AsyncHealthCheck {

    private final MutinyPartyGrpc.MutinyPartyStub party;
    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final LedgerWatchClient watcher;
    private final ForwardingService forwarding;

    public ConnectorReadiness(@GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party, ConnectorConfig config,
            ConnectorContext context, LedgerWatchClient watcher, ForwardingService forwarding) {
        this.party = party;
        this.config = config;
        this.context = context;
        this.watcher = watcher;
        this.forwarding = forwarding;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("keyfed-connector")
                .withData("keyring", config.keyringAddr())
                .withData("watch_connected", watcher.connected())
                .withData("cursor", watcher.lastCursor())
                .withData("sign_watch_enabled", watcher.signEnabled())
                .withData("sign_watch_connected", watcher.signConnected())
                .withData("sign_cursor", watcher.signLastCursor())
                .withData("in_flight", forwarding.inFlight())
                .withData("queued", forwarding.queued());
        String expected = context.partyAddress();
        if (expected == null) {
            return Uni.createFrom().item(builder.withData("party", "identity not resolved yet").down().build());
        }
        return party.withDeadlineAfter(config.healthProbeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getIdentity(GetIdentityRequest.getDefaultInstance())
                .onItem().transform(identity -> {
                    if (!identity.getAddress().equals(expected)) {
                        return builder.withData("party", "answers as " + identity.getAddress() + ", expected "
                                + expected).down().build();
                    }
                    builder.withData("party", expected);
                    boolean watching = watcher.connected() && (!watcher.signEnabled() || watcher.signConnected());
                    return (watching ? builder.up() : builder.down()).build();
                })
                .onFailure().recoverWithItem(failure -> builder
                        .withData("party", "unreachable: " + Status.fromThrowable(failure).getCode())
                        .down().build());
    }
}
