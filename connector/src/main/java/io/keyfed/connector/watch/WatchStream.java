package io.keyfed.connector.watch;

import io.grpc.Context;
import io.grpc.Status;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.forward.RequestKind;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One watch stream of the ledger (WatchKeyRequests or WatchSignRequests, as its {@link RequestKind} opens it) for
 * the configured keyring, handing every event to a sink.
 *
 * <p>On failure or end of the stream it reconnects and resumes from the last cursor it saw. The pause before each
 * new stream is Mutiny's retry with exponential backoff ({@code keyfed.connector.watch.reconnect-*}), counted over
 * the streams that fail or end before delivering an event; an event resets it. {@link #replayFromStart()} opens a
 * new stream from cursor 0, so that the ledger replays every open request.
 *
 * @param <E> the kind's watch event
 */
final class WatchStream<E> {

    private static final Logger LOG = Logger.getLogger(WatchStream.class);

    private final RequestKind<E, ?, ?> kind;
    private final ConnectorConfig config;
    private final Consumer<E> sink;

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

    WatchStream(RequestKind<E, ?, ?> kind, ConnectorConfig config, Consumer<E> sink) {
        this.kind = kind;
        this.config = config;
        this.sink = sink;
    }

    /** True while the stream is subscribed and has not failed or ended since. */
    boolean connected() {
        return connected;
    }

    /** Last cursor received; 0 before any event. */
    long lastCursor() {
        return lastCursor;
    }

    void stop() {
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
    void watch() {
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
        long from;
        synchronized (this) {
            if (stopped) {
                return Uni.createFrom().failure(new Superseded());
            }
            from = replayPending ? 0 : lastCursor;
            replayPending = false;
            gen = ++generation;
            previous = streamContext;
            // From the root: connect() may run inside the previous stream's callback, whose context is cancelled next.
            context = Context.ROOT.withCancellation();
            streamContext = context;
            previousFirst = firstEvent;
            firstEvent = first;
            connected = true;
        }
        previousFirst.completeExceptionally(new Superseded());
        if (previous != null) {
            // Its callbacks carry an old generation and are ignored.
            previous.cancel(null);
        }
        LOG.infof("watching %s requests of keyring %s from cursor %d", kind.label(), config.keyringAddr(), from);
        // The call is started on subscription, so subscribing inside the context binds the call to it.
        context.run(() -> kind.watch(config.keyringAddr(), from).subscribe().with(
                event -> onEvent(gen, event),
                failure -> onEnd(gen, failure),
                () -> onEnd(gen, null)));
        return Uni.createFrom().completionStage(first);
    }

    private void onEvent(long gen, E event) {
        CompletableFuture<Void> first;
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            if (kind.cursor(event) > lastCursor) {
                lastCursor = kind.cursor(event);
            }
            first = firstEvent;
        }
        first.complete(null);
        sink.accept(event);
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
            LOG.warnf("%s watch stream ended; reconnecting from cursor %d", kind.label(), lastCursor);
        } else {
            LOG.warnf("%s watch stream failed: %s; reconnecting from cursor %d", kind.label(), describe(failure),
                    lastCursor);
        }
        if (first.isDone()) {
            watch();
        } else {
            first.completeExceptionally(failure == null ? new Ended() : failure);
        }
    }

    /** Re-subscribes from cursor 0 so that the ledger replays every open request. */
    void replayFromStart() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            replayPending = true;
        }
        watch();
    }

    static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name()
                : status.getCode() + " (" + status.getDescription() + ")";
    }
}
