package io.keyfed.connector.watch;

import io.grpc.Context;
import io.grpc.Status;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.forward.Backoff;
import io.keyfed.connector.forward.ForwardingService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Watches the ledger's WatchKeyRequests stream for the configured keyring and hands every event to the
 * {@link ForwardingService}.
 *
 * <p>Start: resolve the party's address with Party.GetIdentity (and the chain id with Ledger.GetParams unless
 * configured), retrying with backoff while either is down; then subscribe with statuses PENDING and PARTIAL
 * and cursor 0, so the ledger first replays every request that is still open.
 *
 * <p>On failure or end of the stream it reconnects with backoff and resumes from the last cursor it saw.
 *
 * <p>Restart safety without a durable cursor: a fresh process starts at cursor 0, and the ledger's replay
 * delivers every open request again, including those created while the connector was down. A request this
 * party already answered carries its signature and is skipped; one it was still working on is asked again,
 * and the party returns its stored answer (Keygen is idempotent per request id); should the answer reach the
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
    private final Backoff reconnectBackoff;

    private volatile boolean stopped;
    private volatile boolean connected;
    private volatile long lastCursor;
    private long generation;
    private int reconnectAttempt;
    private boolean replayPending;
    /**
     * The gRPC context the current stream runs in. Cancelling a Mutiny subscription of a server stream does not
     * cancel the gRPC call (the generated stub hands the call a plain StreamObserver), so the call is ended by
     * cancelling its context instead.
     */
    private Context.CancellableContext streamContext;

    public LedgerWatchClient(@GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger,
            @GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party, ConnectorConfig config,
            ConnectorContext context, ForwardingService forwarding) {
        this.ledger = ledger;
        this.party = party;
        this.config = config;
        this.context = context;
        this.forwarding = forwarding;
        this.reconnectBackoff = new Backoff(config.watch().reconnectInitialBackoff(),
                config.watch().reconnectMaxBackoff(), 0.2);
    }

    void onStart(@Observes StartupEvent event) {
        forwarding.onReplayNeeded(this::replayFromStart);
        LOG.infof("connector for keyring %s starting", config.keyringAddr());
        resolveIdentity().onItem().transformToUni(v -> resolveChainId())
                .subscribe().with(v -> connect(), failure -> {
                    if (!stopped) {
                        LOG.errorf(failure, "connector could not start");
                    }
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        Context.CancellableContext current;
        synchronized (this) {
            stopped = true;
            connected = false;
            current = streamContext;
            streamContext = null;
        }
        if (current != null) {
            current.cancel(null);
        }
    }

    /** True while the stream is subscribed and has not failed or ended since. */
    public boolean connected() {
        return connected;
    }

    /** Last cursor received; 0 before any event. */
    public long lastCursor() {
        return lastCursor;
    }

    private Uni<Void> resolveIdentity() {
        return Uni.createFrom().deferred(() -> party.getIdentity(GetIdentityRequest.getDefaultInstance()))
                .onItem().invoke(identity -> {
                    if (identity.getAddress().isBlank()) {
                        throw new IllegalStateException("party returned an empty address");
                    }
                })
                .onFailure().invoke(f -> LOG.warnf("party identity not available yet: %s; retrying", describe(f)))
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
                .onFailure().invoke(f -> LOG.warnf("ledger params not available yet: %s; retrying", describe(f)))
                .onFailure(f -> !stopped).retry()
                .withBackOff(config.watch().reconnectInitialBackoff(), config.watch().reconnectMaxBackoff())
                .indefinitely()
                .onItem().invoke(params -> {
                    context.chainId(params.getChainId());
                    LOG.infof("ledger chain id is %s", params.getChainId());
                })
                .replaceWithVoid();
    }

    private void connect() {
        Context.CancellableContext previous;
        Context.CancellableContext context;
        long gen;
        WatchKeyRequestsRequest request;
        synchronized (this) {
            if (stopped) {
                return;
            }
            long from = replayPending ? 0 : lastCursor;
            replayPending = false;
            gen = ++generation;
            previous = streamContext;
            context = Context.current().withCancellation();
            streamContext = context;
            request = WatchKeyRequestsRequest.newBuilder()
                    .setKeyringAddr(config.keyringAddr())
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                    .setCursor(from)
                    .build();
            connected = true;
        }
        if (previous != null) {
            // Its callbacks carry an old generation and are ignored.
            previous.cancel(null);
        }
        LOG.infof("watching key requests of keyring %s from cursor %d", config.keyringAddr(), request.getCursor());
        // The call is started on subscription, so subscribing inside the context binds the call to it.
        context.run(() -> ledger.watchKeyRequests(request).subscribe().with(
                event -> onEvent(gen, event),
                failure -> onEnd(gen, failure),
                () -> onEnd(gen, null)));
    }

    private void onEvent(long gen, KeyRequestEvent event) {
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            if (event.getCursor() > lastCursor) {
                lastCursor = event.getCursor();
            }
            reconnectAttempt = 0;
        }
        forwarding.submit(event.getRequest(), event.getTraceparent());
    }

    private void onEnd(long gen, Throwable failure) {
        long delay;
        synchronized (this) {
            if (gen != generation || stopped) {
                return;
            }
            connected = false;
            delay = reconnectBackoff.delayMillis(reconnectAttempt++, () -> ThreadLocalRandom.current().nextDouble());
        }
        if (failure == null) {
            LOG.warnf("watch stream ended; reconnecting in %d ms from cursor %d", delay, lastCursor);
        } else {
            LOG.warnf("watch stream failed: %s; reconnecting in %d ms from cursor %d", describe(failure), delay,
                    lastCursor);
        }
        scheduleConnect(gen, delay);
    }

    /** Re-subscribes from cursor 0 so that the ledger replays every open request. */
    private void replayFromStart() {
        long gen;
        synchronized (this) {
            if (stopped) {
                return;
            }
            replayPending = true;
            gen = generation;
        }
        scheduleConnect(gen, 0);
    }

    private void scheduleConnect(long gen, long delayMillis) {
        Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(Math.max(1, delayMillis)))
                .subscribe().with(v -> {
                    synchronized (this) {
                        if (gen != generation) {
                            return;
                        }
                    }
                    connect();
                });
    }

    private static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name()
                : status.getCode() + " (" + status.getDescription() + ")";
    }
}
