package io.keyfed.connector.forward;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Entry point for streamed requests: decides whether to forward, de-duplicates within the process, and queues
 * the request for the {@link BoundedDispatcher} (bounded concurrency, {@link StartRate} rate limit).
 *
 * <p>When the queue is full a request is dropped (WARN, counted). Nothing is lost by that: once the queue has
 * drained, the watcher is asked to re-read the stream from cursor 0, and the ledger replays every request that
 * is still open, including the dropped ones.
 */
@ApplicationScoped
public class ForwardingService {

    private static final Logger LOG = Logger.getLogger(ForwardingService.class);
    private static final int MAX_REMEMBERED = 100_000;

    /** A queued request. */
    record Job(KeyRequest request, String traceparent, long deadlineMillis, long seenNanos) {
    }

    private final ConnectorConfig config;
    private final ConnectorContext context;
    private final RequestForwarder forwarder;
    private final ConnectorMetrics metrics;
    private final InFlightRegistry registry = new InFlightRegistry(MAX_REMEMBERED);
    private final BoundedDispatcher<Job> dispatcher;
    private final AtomicBoolean droppedSinceReplay = new AtomicBoolean();
    private volatile Runnable replayListener = () -> { };

    public ForwardingService(ConnectorConfig config, ConnectorContext context, RequestForwarder forwarder,
            ConnectorMetrics metrics) {
        this.config = config;
        this.context = context;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.dispatcher = new BoundedDispatcher<>(config.maxInFlight(), config.queueCapacity(),
                StartRate.perSecond(config.rateLimitPerSecond()), ForwardingService::delay, this::run, this::onIdle);
        metrics.bindQueue(dispatcher::inFlight, dispatcher::queued);
    }

    /** Called when requests were dropped and the queue has drained: the watcher should replay from cursor 0. */
    public void onReplayNeeded(Runnable listener) {
        this.replayListener = listener;
    }

    /**
     * Handles one streamed request. Returns what was decided; {@link ForwardDecision#FORWARD} means it was
     * queued (or is already queued or in flight in this process).
     */
    public ForwardDecision submit(KeyRequest request) {
        return submit(request, "");
    }

    /** As {@link #submit(KeyRequest)}, continuing the request's trace from {@code traceparent} (may be empty). */
    public ForwardDecision submit(KeyRequest request, String traceparent) {
        long seen = System.nanoTime();
        long now = System.currentTimeMillis();
        metrics.seen();
        ForwardDecision decision = ForwardDecision.decide(request, config.keyringAddr(), context.partyAddress(), now);
        if (decision != ForwardDecision.FORWARD) {
            LOG.debugf("request %d: not forwarded (%s)", request.getId(), decision);
            return decision;
        }
        long deadline = request.getDeadlineUnixMs() > 0 ? request.getDeadlineUnixMs()
                : now + config.fallbackDeadline().toMillis();
        if (!registry.tryClaim(request.getId(), now)) {
            LOG.debugf("request %d: already in flight or finished here", request.getId());
            return decision;
        }
        if (!dispatcher.offer(new Job(request, traceparent, deadline, seen))) {
            registry.release(request.getId());
            metrics.dropped();
            droppedSinceReplay.set(true);
            LOG.warnf("request %d: queue full (%d), dropped for now; it is picked up again by a replay once the"
                    + " queue drains", request.getId(), config.queueCapacity());
        }
        return decision;
    }

    public int inFlight() {
        return dispatcher.inFlight();
    }

    public int queued() {
        return dispatcher.queued();
    }

    public boolean isClaimed(long requestId) {
        return registry.isClaimed(requestId);
    }

    private Uni<Outcome> run(Job job) {
        long id = job.request().getId();
        if (System.currentTimeMillis() >= job.deadlineMillis()) {
            registry.release(id);
            LOG.warnf("request %d: deadline passed while queued; left to the ledger's timeout", id);
            return Uni.createFrom().item(Outcome.GAVE_UP);
        }
        return forwarder.forward(job.request(), job.traceparent(), job.deadlineMillis(), job.seenNanos())
                .onTermination().invoke(() -> registry.finish(id, job.deadlineMillis(), System.currentTimeMillis()));
    }

    private void onIdle() {
        if (droppedSinceReplay.getAndSet(false)) {
            LOG.info("queue drained after dropping requests: replaying the open requests from the ledger");
            replayListener.run();
        }
    }

    private static void delay(long nanos, Runnable task) {
        Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(nanos))
                .subscribe().with(v -> task.run(), f -> task.run());
    }
}
