package io.keyfed.connector.forward;

import io.keyfed.api.trace.TraceContext;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.metrics.KindMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Forwards one request of any {@link RequestKind}: the party's call (Keygen, Sign) with a gRPC deadline at the
 * request's deadline, a sanity check of the answer, then the ledger's call (FulfilKeyRequest,
 * FulfilSignatureRequest) with the answer exactly as the party signed it. Both calls are retried while they fail
 * transiently, until the request's deadline. The connector adds nothing and signs nothing: the ledger verifies the
 * party's signature.
 */
@ApplicationScoped
public class RequestForwarder {

    private static final Logger LOG = Logger.getLogger(RequestForwarder.class);

    private final ConnectorContext context;
    private final DeadlineRetry retrier;
    private final Tracer tracer;
    private volatile boolean stopping;

    public RequestForwarder(ConnectorConfig config, ConnectorContext context, Tracer tracer) {
        this.tracer = tracer;
        this.context = context;
        this.retrier = new DeadlineRetry(config.retry().initialBackoff(), config.retry().maxBackoff(),
                config.retry().jitter(), () -> !stopping);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Never fails: every ending is an {@link Outcome}, logged and counted in the kind's meters. Runs in a span of the
     * request's trace (continued from {@code traceparent}, the watch event's); the party's and the ledger's calls
     * are its children, and the party's call carries its context to the party's session.
     */
    public <R, A> Uni<Outcome> forward(RequestKind<?, R, A> kind, R request, String traceparent, long deadlineMillis,
            long seenNanos) {
        long id = kind.id(request);
        String label = kind.label() + " request " + Long.toUnsignedString(id);
        Span span = TraceContext.orNewTrace(TraceContext.start(tracer, "keyfed.connector.forward", SpanKind.CONSUMER,
                TraceContext.parent(traceparent), id));
        span.setAttribute(TraceContext.PARTY, context.partyAddress());
        span.setAttribute("keyfed.request_kind", kind.label());
        String ownContext = TraceContext.traceparent(span);
        LOG.debugf("%s: handed to party %s (deadline in %d ms)", label, context.partyAddress(),
                deadlineMillis - System.currentTimeMillis());
        KindMetrics metrics = kind.metrics();
        return retrier.call(kind.partyCall(), id, deadlineMillis, metrics::retried,
                        remaining -> TraceContext.within(span,
                                () -> kind.ask(request, context.chainId(), ownContext, remaining)))
                .onItem().transformToUni(answer -> broadcast(kind, request, answer, deadlineMillis, seenNanos, span))
                .onFailure().recoverWithItem(failure -> stopped(kind, label, failure))
                .onItem().invoke(outcome -> {
                    span.setAttribute("keyfed.outcome", outcome.name());
                    span.end();
                    String trace = TraceContext.traceId(span);
                    TraceContext.outcome(LOG, Long.toUnsignedString(id), trace, label + ": forward outcome "
                            + outcome + " (trace " + (trace.isEmpty() ? "none" : trace) + ")");
                });
    }

    private <R, A> Uni<Outcome> broadcast(RequestKind<?, R, A> kind, R request, A answer, long deadlineMillis,
            long seenNanos, Span span) {
        long id = kind.id(request);
        KindMetrics metrics = kind.metrics();
        String problem = kind.check(request, answer, context.partyAddress());
        if (problem != null) {
            LOG.errorf("%s request %d: party answer not broadcast: %s", kind.label(), id, problem);
            metrics.rejected();
            return Uni.createFrom().item(Outcome.REFUSED);
        }
        return retrier.call(kind.ledgerCall(), id, deadlineMillis, metrics::retried,
                        remaining -> TraceContext.within(span, () -> kind.fulfil(answer, remaining)))
                .onItem().transform(after -> {
                    metrics.latency(Duration.ofNanos(System.nanoTime() - seenNanos));
                    if (kind.fulfilled(answer)) {
                        metrics.fulfilled();
                    } else {
                        metrics.rejected();
                    }
                    LOG.debugf("%s request %d: answer %s broadcast, ledger status now %s", kind.label(), id,
                            kind.describe(answer), after);
                    return Outcome.ACCEPTED;
                });
    }

    private Outcome stopped(RequestKind<?, ?, ?> kind, String label, Throwable failure) {
        if (!(failure instanceof DeadlineRetry.Stopped)) {
            LOG.errorf(failure, "%s: forwarding failed unexpectedly", label);
            return Outcome.GAVE_UP;
        }
        DeadlineRetry.Stopped stop = (DeadlineRetry.Stopped) failure;
        if (stopping) {
            LOG.infof("%s: connector stopping; the next start picks the request up again", label);
            return Outcome.GAVE_UP;
        }
        if (stop.deadlineReached()) {
            LOG.warnf("%s: %s", label, stop.getMessage());
            return Outcome.GAVE_UP;
        }
        if (kind.alreadyDone(stop)) {
            LOG.debugf("%s: %s: already final or already answered by this party", label, stop.getMessage());
            return Outcome.ALREADY_DONE;
        }
        LOG.warnf("%s: %s; not retried", label, stop.getMessage());
        kind.metrics().rejected();
        return Outcome.REFUSED;
    }
}
