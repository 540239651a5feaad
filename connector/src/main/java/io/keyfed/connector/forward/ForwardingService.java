package io.keyfed.connector.forward;

import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Entry point for streamed requests of every {@link RequestKind}: decides whether to forward, de-duplicates within
 * the process (per kind: key and sign request ids are separate sequences), and queues the request for the one
 * {@link BoundedDispatcher} both kinds share (bounded concurrency, {@link StartRate} rate limit, one queue).
 *
 * <p>When the queue is full a request is dropped (WARN, counted). Nothing is lost by that: once the queue has
 * drained, the watcher of that kind is asked to re-read its stream from cursor 0, and the ledger replays every
 * request that is still open, including the dropped ones.
 */
@ApplicationScoped
public class ForwardingService {

    private static final Logger LOG = Logger.getLogger(ForwardingService.class);
    private static final int MAX_REMEMBERED = 100_000;

    /** A queued request. */
    record Job<R>(RequestKind<?, R, ?> kind, R request, String traceparent, long deadlineMillis, long seenNanos) {
    }

    /** What the service keeps per kind. */
    private static final class Lane {
        final InFlightRegistry registry = new InFlightRegistry(MAX_REMEMBERED);
        final AtomicBoolean droppedSinceReplay = new AtomicBoolean();
        volatile Runnable replayListener = () -> { };
    }

    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final RequestForwarder forwarder;
    private final KeyRequestKind keys;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final BoundedDispatcher<Job<?>> dispatcher;

    public ForwardingService(ConnectorConfig config, ConnectorContext context, RequestForwarder forwarder,
            ConnectorMetrics metrics, KeyRequestKind keys) {
        this.config = config;
        this.context = context;
        this.forwarder = forwarder;
        this.keys = keys;
        this.dispatcher = new BoundedDispatcher<>(config.maxInFlight(), config.queueCapacity(),
                StartRate.perSecond(config.rateLimitPerSecond()), ForwardingService::delay, this::run, this::onIdle);
        metrics.bindQueue(dispatcher::inFlight, dispatcher::queued);
    }

    /** Called when requests of this kind were dropped and the queue has drained: its watcher replays from 0. */
    public void onReplayNeeded(RequestKind<?, ?, ?> kind, Runnable listener) {
        lane(kind).replayListener = listener;
    }

    /**
     * Handles one streamed request, continuing its trace from {@code traceparent} (may be empty). Returns what was
     * decided; {@link ForwardDecision#FORWARD} means it was queued (or is already queued or in flight here).
     */
    public <R> ForwardDecision submit(RequestKind<?, R, ?> kind, R request, String traceparent) {
        long seen = System.nanoTime();
        long now = System.currentTimeMillis();
        long id = kind.id(request);
        kind.metrics().seen();
        ForwardDecision decision = kind.decide(request, config.keyringAddr(), context.partyAddress(), now);
        if (decision != ForwardDecision.FORWARD) {
            LOG.debugf("%s request %d: not forwarded (%s)", kind.label(), id, decision);
            return decision;
        }
        long deadline = kind.deadlineMillis(request) > 0 ? kind.deadlineMillis(request)
                : now + config.fallbackDeadline().toMillis();
        Lane lane = lane(kind);
        if (!lane.registry.tryClaim(id, now)) {
            LOG.debugf("%s request %d: already in flight or finished here", kind.label(), id);
            return decision;
        }
        if (!dispatcher.offer(new Job<>(kind, request, traceparent, deadline, seen))) {
            lane.registry.release(id);
            kind.metrics().dropped();
            lane.droppedSinceReplay.set(true);
            LOG.warnf("%s request %d: queue full (%d), dropped for now; it is picked up again by a replay once the"
                    + " queue drains", kind.label(), id, config.queueCapacity());
        }
        return decision;
    }

    /** Requests of both kinds being forwarded now. */
    public int inFlight() {
        return dispatcher.inFlight();
    }

    /** Requests of both kinds waiting. */
    public int queued() {
        return dispatcher.queued();
    }

    /** Whether this key request is queued or in flight. */
    public boolean isClaimed(long requestId) {
        return isClaimed(keys, requestId);
    }

    /** Whether this request of the kind is queued or in flight. */
    public boolean isClaimed(RequestKind<?, ?, ?> kind, long requestId) {
        return lane(kind).registry.isClaimed(requestId);
    }

    private Lane lane(RequestKind<?, ?, ?> kind) {
        return lanes.computeIfAbsent(kind.label(), label -> new Lane());
    }

    private Uni<Outcome> run(Job<?> job) {
        return runTyped(job);
    }

    private <R> Uni<Outcome> runTyped(Job<R> job) {
        RequestKind<?, R, ?> kind = job.kind();
        long id = kind.id(job.request());
        InFlightRegistry registry = lane(kind).registry;
        if (System.currentTimeMillis() >= job.deadlineMillis()) {
            registry.release(id);
            LOG.warnf("%s request %d: deadline passed while queued; left to the ledger's timeout", kind.label(), id);
            return Uni.createFrom().item(Outcome.GAVE_UP);
        }
        return forwarder.forward(kind, job.request(), job.traceparent(), job.deadlineMillis(), job.seenNanos())
                .onTermination().invoke(() -> registry.finish(id, job.deadlineMillis(), System.currentTimeMillis()));
    }

    private void onIdle() {
        for (Map.Entry<String, Lane> entry : List.copyOf(lanes.entrySet())) {
            if (entry.getValue().droppedSinceReplay.getAndSet(false)) {
                LOG.infof("queue drained after dropping %s requests: replaying the open ones from the ledger",
                        entry.getKey());
                entry.getValue().replayListener.run();
            }
        }
    }

    private static void delay(long nanos, Runnable task) {
        Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(nanos))
                .subscribe().with(v -> task.run(), f -> task.run());
    }
}
