package io.keyfed.connector.fake;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the in-test ledger and party on free ports (plain grpc-java servers, real gRPC over sockets) before
 * the connector starts, and points the connector at them. A request created "while the connector was down"
 * is already in the ledger when the connector starts.
 */
public class FakeBackends implements QuarkusTestResourceLifecycleManager {

    public static final String KEYRING = "keyring1fakekeyring";
    public static final String OTHER_PARTY = "zen1otherparty";
    public static final long PRELOADED_REQUEST = 1;
    public static final int MAX_IN_FLIGHT = 2;

    /** The fakes of the connector now running; replaced at every start, so test classes do not share state. */
    public static volatile FakeLedger LEDGER = new FakeLedger();
    public static volatile FakeParty PARTY = new FakeParty();

    private Server ledgerServer;
    private Server partyServer;

    /** An open request of the test keyring with a two-party snapshot (this party and one other), threshold 2. */
    public static KeyRequest pending(long id) {
        return KeyRequest.newBuilder()
                .setId(id)
                .setCreator("zen1owner")
                .setWorkspaceAddr("workspace1fake")
                .setKeyringAddr(KEYRING)
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                .setFee("100")
                .setDeadlineUnixMs(System.currentTimeMillis() + 120_000)
                .addParties(KeyringParty.newBuilder().setAddress(FakeParty.ADDRESS))
                .addParties(KeyringParty.newBuilder().setAddress(OTHER_PARTY))
                .setPartyThreshold(2)
                .build();
    }

    @Override
    public Map<String, String> start() {
        LEDGER = new FakeLedger();
        PARTY = new FakeParty();
        LEDGER.emit(pending(PRELOADED_REQUEST));
        preload(LEDGER);
        try {
            ledgerServer = ServerBuilder.forPort(0).addService(LEDGER).build().start();
            partyServer = ServerBuilder.forPort(0).addService(PARTY).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("quarkus.grpc.clients.ledger.host", "localhost"),
                Map.entry("quarkus.grpc.clients.ledger.port", String.valueOf(ledgerServer.getPort())),
                Map.entry("quarkus.grpc.clients.ledger.test-port", String.valueOf(ledgerServer.getPort())),
                Map.entry("quarkus.grpc.clients.party.host", "localhost"),
                Map.entry("quarkus.grpc.clients.party.test-port", String.valueOf(partyServer.getPort())),
                Map.entry("quarkus.grpc.clients.party.port", String.valueOf(partyServer.getPort())),
                Map.entry("keyfed.connector.keyring-addr", KEYRING),
                Map.entry("keyfed.connector.max-in-flight", String.valueOf(MAX_IN_FLIGHT)),
                Map.entry("keyfed.connector.rate-limit-per-second", "1000"),
                Map.entry("keyfed.connector.retry.initial-backoff", "20ms"),
                Map.entry("keyfed.connector.retry.max-backoff", "200ms"),
                Map.entry("keyfed.connector.watch.reconnect-initial-backoff", "20ms"),
                Map.entry("keyfed.connector.watch.reconnect-max-backoff", "200ms")));
        config.putAll(overrides());
        return config;
    }

    /** Requests a test class has in the ledger before the connector starts, besides the preloaded key request. */
    protected void preload(FakeLedger ledger) {
    }

    /** Configuration a test class changes. */
    protected Map<String, String> overrides() {
        return Map.of();
    }

    @Override
    public void stop() {
        for (Server server : new Server[] {ledgerServer, partyServer}) {
            if (server != null) {
                server.shutdownNow();
                try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
