package io.keyfed.connector.forward;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.connector.config.ConnectorConfig;
import io.keyfed.connector.config.ConnectorContext;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Forwards one request: Party.Keygen (with a gRPC deadline at the request's deadline), a sanity check of the
 * answer, then Ledger.FulfilKeyRequest with the answer exactly as the party signed it. Both calls are retried
 * while they fail transiently, until the request's deadline. The connector adds nothing and signs nothing:
 * the ledger verifies the party's signature.
 */
@ApplicationScoped
public class RequestForwarder {

    private static final Logger LOG = Logger.getLogger(RequestForwarder.class);

    private final MutinyPartyGrpc.MutinyPartyStub party;
    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    private final ConnectorContext context;
    private final ConnectorMetrics metrics;
    private final DeadlineRetry retrier;
    private final Tracer tracer;
    private volatile boolean stopping;

    public RequestForwarder(@GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party,
            @GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger, ConnectorConfig config,
            ConnectorContext context, ConnectorMetrics metrics, Tracer tracer) {
        this.tracer = tracer;
        this.party = party;
        this.ledger = ledger;
        this.context = context;
        this.metrics = metrics;
        this.retrier = new DeadlineRetry(config.retry().initialBackoff(), config.retry().maxBackoff(),
                config.retry().jitter(), metrics, () -> !stopping);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Never fails: every ending is an {@link Outcome}, logged and counted. Runs in a span of the request's trace
     * (continued from {@code traceparent}, the watch event's); the party's Keygen and the ledger's
     * FulfilKeyRequest calls are its children, and the Keygen request carries its context to the party's session.
     */
    public Uni<Outcome> forward(KeyRequest request, String traceparent, long deadlineMillis, long seenNanos) {
        long id = request.getId();
        Span span = TraceContext.orNewTrace(TraceContext.start(tracer, "keyfed.connector.forward", SpanKind.CONSUMER,
                TraceContext.parent(traceparent), id));
        span.setAttribute(TraceContext.PARTY, context.partyAddress());
        KeygenRequest keygen = KeygenRequest.newBuilder().setChainId(context.chainId()).setRequest(request)
                .setTraceparent(TraceContext.traceparent(span)).build();
        LOG.debugf("request %d: handed to party %s (status %s, %d of %d answers, deadline in %d ms)", id,
                context.partyAddress(), shortStatus(request.getStatus()), request.getKeyringPartySigsCount(),
                request.getPartyThreshold(), deadlineMillis - System.currentTimeMillis());
        return retrier.call("Keygen", id, deadlineMillis,
                        remaining -> TraceContext.within(span,
                                () -> party.withDeadlineAfter(remaining, TimeUnit.MILLISECONDS).keygen(keygen)))
                .onItem().transformToUni(answer -> broadcast(request, answer.getResponse(), deadlineMillis, seenNanos,
                        span))
                .onFailure().recoverWithItem(failure -> stopped(id, failure))
                .onItem().invoke(outcome -> {
                    span.setAttribute("keyfed.outcome", outcome.name());
                    span.end();
                    String trace = TraceContext.traceId(span);
                    TraceContext.outcome(LOG, Long.toUnsignedString(id), trace, "request " + Long.toUnsignedString(id)
                            + ": forward outcome " + outcome + " (trace " + (trace.isEmpty() ? "none" : trace) + ")");
                });
    }

    private Uni<Outcome> broadcast(KeyRequest request, PartyResponse answer, long deadlineMillis, long seenNanos,
            Span span) {
        long id = request.getId();
        String problem = check(request, answer, context.partyAddress());
        if (problem != null) {
            LOG.errorf("request %d: party answer not broadcast: %s", id, problem);
            metrics.rejected();
            return Uni.createFrom().item(Outcome.REFUSED);
        }
        return retrier.call("FulfilKeyRequest", id, deadlineMillis,
                        remaining -> TraceContext.within(span,
                                () -> ledger.withDeadlineAfter(remaining, TimeUnit.MILLISECONDS).fulfilKeyRequest(answer)))
                .onItem().transform(after -> {
                    metrics.latency(Duration.ofNanos(System.nanoTime() - seenNanos));
                    if (answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED) {
                        metrics.fulfilled();
                    } else {
                        metrics.rejected();
                    }
                    LOG.debugf("request %d: answer %s broadcast, ledger status now %s%s", id,
                            shortStatus(answer.getStatus()), shortStatus(after.getStatus()),
                            answer.getRejectReason().isEmpty() ? "" : " (party: " + answer.getRejectReason() + ")");
                    return Outcome.ACCEPTED;
                });
    }

    /** The connector trusts nothing it relays, but it refuses to relay an answer that cannot be this one. */
    static String check(KeyRequest request, PartyResponse answer, String partyAddress) {
        if (answer.getRequestId() != request.getId()) {
            return "answer is for request " + answer.getRequestId();
        }
        if (!answer.getPartyAddr().equals(partyAddress)) {
            return "answer is from " + answer.getPartyAddr() + ", not from " + partyAddress;
        }
        KeyRequestStatus status = answer.getStatus();
        if (status != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                && status != KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            return "answer status is " + status;
        }
        if (answer.getSignature().isEmpty()) {
            return "answer is not signed";
        }
        return null;
    }

    private Outcome stopped(long id, Throwable failure) {
        if (!(failure instanceof DeadlineRetry.Stopped)) {
            LOG.errorf(failure, "request %d: forwarding failed unexpectedly", id);
            return Outcome.GAVE_UP;
        }
        DeadlineRetry.Stopped stop = (DeadlineRetry.Stopped) failure;
        if (stopping) {
            LOG.infof("request %d: connector stopping; the next start picks the request up again", id);
            return Outcome.GAVE_UP;
        }
        if (stop.deadlineReached()) {
            LOG.warnf("request %d: %s", id, stop.getMessage());
            return Outcome.GAVE_UP;
        }
        if (stop.kind() == FailureKind.DONE) {
            LOG.debugf("request %d: %s: already final or already answered by this party", id, stop.getMessage());
            return Outcome.ALREADY_DONE;
        }
        LOG.warnf("request %d: %s; not retried", id, stop.getMessage());
        metrics.rejected();
        return Outcome.REFUSED;
    }

    static String shortStatus(KeyRequestStatus status) {
        String name = status.name();
        return name.startsWith("KEY_REQUEST_STATUS_") ? name.substring("KEY_REQUEST_STATUS_".length()) : name;
    }
}
