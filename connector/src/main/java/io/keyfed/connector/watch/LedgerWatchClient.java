package io.keyfed.connector.watch;

import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.forward.KeyRequestKind;
import io.keyfed.connector.forward.RequestKind;
import io.keyfed.connector.forward.SignRequestKind;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Watches the ledger for the configured keyring, one {@link WatchStream} per request kind: WatchKeyRequests
 * (PENDING and PARTIAL) and, unless {@code keyfed.connector.sign-requests.enabled=false}, WatchSignRequests
 * (PENDING). Every event goes to the {@link ForwardingService}. Each stream resumes from its own last cursor.
 *
 * <p>Start: resolve the party's address with Party.GetIdentity (and the chain id with Ledger.GetParams unless
 * configured), retrying with backoff while either is down; then subscribe both streams with cursor 0, so the
 * ledger first replays every request that is still open.
 *
 * <p>Restart safety without a durable cursor: a fresh process starts at cursor 0, and the ledger's replay
 * delivers every open request again, including those created while the connector was down. A request this
 * party already answered carries its answer and is skipped; one it was still working on is asked again, and the
 * party returns its stored answer (Keygen and Sign are idempotent per request id); should the answer reach the
 * ledger twice, the ledger refuses the duplicate with FAILED_PRECONDITION, which the connector treats as done.
 */
@ApplicationScoped
public class LedgerWatchClient {

    private static final Logger LOG = Logger.getLogger(LedgerWatchClient.class);

    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    private final MutinyPartyGrpc.MutinyPartyStub party;
    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final ForwardingService forwarding;
    private final WatchStream<KeyRequestEvent> keyStream;
    /** Null when sign requests are not relayed. */
    private final WatchStream<SignRequestEvent> signStream;

    private volatile boolean stopped;

    public LedgerWatchClient(@GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger,
            @GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party, ConnectorConfig config,
            ConnectorContext context, ForwardingService forwarding, KeyRequestKind keys, SignRequestKind signs) {
        this.ledger = ledger;
        this.party = party;
        this.config = config;
        this.context = context;
        this.forwarding = forwarding;
        this.keyStream = stream(keys);
        this.signStream = config.signRequests().enabled() ? stream(signs) : null;
    }

    private <E> WatchStream<E> stream(RequestKind<E, ?, ?> kind) {
        WatchStream<E> stream = new WatchStream<>(kind, config, event -> submit(kind, event));
        forwarding.onReplayNeeded(kind, stream::replayFromStart);
        return stream;
    }

    private <E, R> void submit(RequestKind<E, R, ?> kind, E event) {
        forwarding.submit(kind, kind.request(event), kind.traceparent(event));
    }

    void onStart(@Observes StartupEvent event) {
        LOG.infof("connector for keyring %s starting (sign requests %s)", config.keyringAddr(),
                signStream == null ? "not relayed" : "relayed");
        resolveIdentity().onItem().transformToUni(v -> resolveChainId())
                .subscribe().with(v -> {
                    keyStream.watch();
                    if (signStream != null) {
                        signStream.watch();
                    }
                }, failure -> {
                    if (!stopped) {
                        LOG.errorf(failure, "connector could not start");
                    }
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        keyStream.stop();
        if (signStream != null) {
            signStream.stop();
        }
    }

    /** True while the key request stream is subscribed and has not failed or ended since. */
    public boolean connected() {
        return keyStream.connected();
    }

    /** Last cursor received on the key request stream; 0 before any event. */
    public long lastCursor() {
        return keyStream.lastCursor();
    }

    /** Whether sign requests are relayed ({@code keyfed.connector.sign-requests.enabled}). */
    public boolean signEnabled() {
        return signStream != null;
    }

    /** True while the sign request stream is subscribed and has not failed or ended since; false when disabled. */
    public boolean signConnected() {
        return signStream != null && signStream.connected();
    }

    /** Last cursor received on the sign request stream; 0 before any event or when disabled. */
    public long signLastCursor() {
        return signStream == null ? 0 : signStream.lastCursor();
    }

    private Uni<Void> resolveIdentity() {
        return Uni.createFrom().deferred(() -> party.getIdentity(GetIdentityRequest.getDefaultInstance()))
                .onItem().invoke(identity -> {
                    if (identity.getAddress().isBlank()) {
                        throw new IllegalStateException("party returned an empty address");
                    }
                })
                .onFailure().invoke(f -> LOG.warnf("party identity not available yet: %s; retrying",
                        WatchStream.describe(f)))
                .onFailure(f -> !stopped).retry()
                .withBackOff(config.watch().reconnectInitialBackoff(), config.watch().reconnectMaxBackoff())
                .indefinitely()
                .onItem().invoke(identity -> {
                    context.partyAddress(identity.getAddress());
                    LOG.infof("relaying for party %s", identity.getAddress());
                })
                .replaceWithVoid();
    }

    private Uni<Void> resolveChainId() {
        if (config.chainId().isPresent() && !config.chainId().get().isBlank()) {
            context.chainId(config.chainId().get());
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> ledger.getParams(GetParamsRequest.getDefaultInstance()))
                .onFailure().invoke(f -> LOG.warnf("ledger params not available yet: %s; retrying",
                        WatchStream.describe(f)))
                .onFailure(f -> !stopped).retry()
                .withBackOff(config.watch().reconnectInitialBackoff(), config.watch().reconnectMaxBackoff())
                .indefinitely()
                .onItem().invoke(params -> {
                    context.chainId(params.getChainId());
                    LOG.infof("ledger chain id is %s", params.getChainId());
                })
                .replaceWithVoid();
    }
}
