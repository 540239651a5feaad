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
import io.keyfed.connector.forward.ForwardingService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Watches the ledger's WatchKeyRequests stream for the configured keyring and hands every event to the
 * {@link ForwardingService}.
 *
 * <p>Start: resolve the party's address with Party.GetIdentity (and the chain id with Ledger.GetParams unless
 * configured), retrying with backoff while either is down; then subscribe with statuses PENDING and PARTIAL
 * and cursor 0, so the ledger first replays every request that is still open.
 *
 * <p>On failure or end of the stream it reconnects and resumes from the last cursor it saw. The pause before each
 * new stream is Mutiny's retry with exponential backoff ({@code keyfed.connector.watch.reconnect-*}), counted over
 * the streams that fail or end before delivering an event; an event resets it.
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

    private volatile boolean stopped;
    private volatile boolean connected;
    private volatile long lastCursor;
    private long generation;
    /** Completes at the current stream's first event; fails when it ends before one. Guarded by this. */
    private CompletableFuture<Void> firstEvent = new CompletableFuture<>();
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
    }

    void onStart(@Observes StartupEvent event) {
        forwarding.onReplayNeeded(this::replayFromStart);
        LOG.infof("connector for keyring %s starting", config.keyringAddr());
        resolveIdentity().onItem().transformToUni(v -> resolveChainId())
                .subscribe().with(v -> watch(), failure -> {
                    if (!stopped) {
                        LOG.errorf(failure, "connector could not start");
                    }
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        Context.CancellableContext current;
        CompletableFuture<Void> first;
        synchronized (this) {
            stopped = true;
            connected = false;
            current = streamContext;
            streamContext = null;
            first = firstEvent;
        }
        first.completeExceptionally(new Superseded());
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

    /** A stream replaced by a newer one (or the connector stopping): its reconnect sequence ends. */
    private static final class Superseded extends RuntimeException {
        Superseded() {
            super("replaced by a newer stream", null, false, false);
        }
    }

    /** The stream ended without a failure before delivering an event. */
    private static final class Ended extends RuntimeException {
        Ended() {
            super("stream ended", null, false, false);
        }
    }

    /**
     * Opens a stream, and opens another with backoff each time it fails or ends before its first event. Once
     * one has delivered an event, its end starts a new sequence (see {@link #onEnd}).
     */
    private void watch() {
        Uni.createFrom().deferred(this::connect)
                .onFailure(f -> !(f instanceof Superseded) && !stopped).retry()
                .withBackOff(config.watch().reconnectInitialBackoff(), config.watch().reconnectMaxBackoff())
                .withJitter(0.2).indefinitely()
                .subscribe().with(v -> { }, f -> { });
    }

    /** Opens a stream from the last cursor (or 0 for a replay); the Uni completes at its first event. */
    private Uni<Void> connect() {
        Context.CancellableContext previous;
        Context.CancellableContext context;
        CompletableFuture<Void> previousFirst;
        CompletableFuture<Void> first = new CompletableFuture<>();
        long gen;
        WatchKeyRequestsRequest request;
        synchronized (this) {
            if (stopped) {
                return Uni.createFrom().failure(new Superseded());
            }
            long from = replayPending ? 0 : lastCursor;
            replayPending = false;
            gen = ++generation;
            previous = streamContext;
            // From the root: connect() may run inside the previous stream's callback, whose context is cancelled next.
            context = Context.ROOT.withCancellation();
            streamContext = context;
            previousFirst = firstEvent;
            firstEvent = first;
            request = WatchKeyRequestsRequest.newBuilder()
                    .setKeyringAddr(config.keyringAddr())
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                    .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                    .setCursor(from)
                    .build();
            connected = true;
        }
        previousFirst.completeExceptionally(new Superseded());
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
        return Uni.createFrom().completionStage(first);
    }

    private void onEvent(long gen, KeyRequestEvent event) {
        CompletableFuture<Void> first;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            if (event.getCursor() > lastCursor) {
                lastCursor = event.getCursor();
            }
            first = firstEvent;
        }
        first.complete(null);
        forwarding.submit(event.getRequest(), event.getTraceparent());
    }

    private void onEnd(long gen, Throwable failure) {
        CompletableFuture<Void> first;
        synchronized (this) {
            if (gen != generation || stopped) {
                return;
            }
            connected = false;
            first = firstEvent;
        }
        if (failure == null) {
            LOG.warnf("watch stream ended; reconnecting from cursor %d", lastCursor);
        } else {
            LOG.warnf("watch stream failed: %s; reconnecting from cursor %d", describe(failure), lastCursor);
        }
        if (first.isDone()) {
            watch();
        } else {
            first.completeExceptionally(failure == null ? new Ended() : failure);
        }
    }

    /** Re-subscribes from cursor 0 so that the ledger replays every open request. */
    private void replayFromStart() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            replayPending = true;
        }
        watch();
    }

    private static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name()
                : status.getCode() + " (" + status.getDescription() + ")";
    }
}
