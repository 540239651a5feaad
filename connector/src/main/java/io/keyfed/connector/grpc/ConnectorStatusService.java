package io.keyfed.connector.grpc;

import io.keyfed.api.connector.v1.ConnectorStatus;
import io.keyfed.api.connector.v1.GetStatusRequest;
import io.keyfed.api.connector.v1.MutinyConnectorGrpc;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.keyfed.connector.metrics.KindMetrics;
import io.keyfed.connector.watch.LedgerWatchClient;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * {@code keyfed.connector.v1.Connector}: a read-only snapshot of the connector, served on its HTTP port
 * ({@code quarkus.grpc.server.use-separate-server=false}). Every value is read from the holders the health
 * checks and metrics already use (volatile fields, Micrometer counters, the dispatcher's counts), so the call
 * runs on the event loop without blocking.
 */
@GrpcService
public class ConnectorStatusService extends MutinyConnectorGrpc.ConnectorImplBase {

    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final LedgerWatchClient watcher;
    private final ForwardingService forwarding;
    private final ConnectorMetrics metrics;

    public ConnectorStatusService(ConnectorConfig config, ConnectorContext context, LedgerWatchClient watcher,
            ForwardingService forwarding, ConnectorMetrics metrics) {
        this.config = config;
        this.context = context;
        this.watcher = watcher;
        this.forwarding = forwarding;
        this.metrics = metrics;
    }

    @Override
    public Uni<ConnectorStatus> getStatus(GetStatusRequest request) {
        return Uni.createFrom().item(this::snapshot);
    }

    ConnectorStatus snapshot() {
        KindMetrics signs = metrics.signs();
        return ConnectorStatus.newBuilder()
                .setKeyringAddr(config.keyringAddr())
                .setPartyAddr(orEmpty(context.partyAddress()))
                .setChainId(orEmpty(context.chainId()))
                .setCursor(watcher.lastCursor())
                .setWatchConnected(watcher.connected())
                .setInFlight(forwarding.inFlight())
                .setQueued(forwarding.queued())
                .setSeen(metrics.seenCount())
                .setFulfilled(metrics.fulfilledCount())
                .setRejected(metrics.rejectedCount())
                .setRetried(metrics.retriedCount())
                .setDropped(metrics.droppedCount())
                .setSignWatchEnabled(watcher.signEnabled())
                .setSignCursor(watcher.signLastCursor())
                .setSignWatchConnected(watcher.signConnected())
                .setSignSeen(signs.seenCount())
                .setSignFulfilled(signs.fulfilledCount())
                .setSignRejected(signs.rejectedCount())
                .setSignRetried(signs.retriedCount())
                .setSignDropped(signs.droppedCount())
                .build();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
