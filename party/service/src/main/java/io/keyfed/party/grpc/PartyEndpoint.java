package io.keyfed.party.grpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.party.v1.DeliverAck;
import io.keyfed.api.party.v1.DeliverBatchAck;
import io.keyfed.api.party.v1.DeliverResult;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.PeerEnvelopeBatch;
import io.keyfed.api.party.v1.SigningAnswer;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.transport.PeerClients;
import io.keyfed.api.tls.TransportSecurity;
import io.keyfed.api.trace.TraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.grpc.GrpcService;

/**
 * The Party gRPC service. Methods return at once: the work runs on the node's worker threads and the
 * answer is written when it is ready, so no event-loop thread ever blocks. Failures map to gRPC
 * statuses (see {@link PartyException}); unexpected ones to INTERNAL without details.
 */
@GrpcService
public class PartyEndpoint extends PartyGrpc.PartyImplBase {
    private static final Logger LOG = Logger.getLogger(PartyEndpoint.class);

    private final PartyNode node;
    private final PartyAccess access;
    private final Tracer tracer;

    /** For in-process tests in plain text: callers are not identified. */
    public PartyEndpoint(PartyNode node) {
        this(node, new PartyAccess(node.address(), true), OpenTelemetry.noop().getTracer("keyfed-party"));
    }

    @Inject
    public PartyEndpoint(PartyNode node, Config config, Tracer tracer) {
        this(node, new PartyAccess(node.address(), TransportSecurity.plaintext(config)), tracer);
    }

    public PartyEndpoint(PartyNode node, PartyAccess access, Tracer tracer) {
        this.node = node;
        this.access = access;
        this.tracer = tracer;
    }

    @Override
    public void getIdentity(GetIdentityRequest request, StreamObserver<PartyIdentity> observer) {
        observer.onNext(node.identity());
        observer.onCompleted();
    }

    @Override
    public void keygen(KeygenRequest request, StreamObserver<KeygenResponse> observer) {
        try {
            access.requireOwnConnector(Caller.current(), "Keygen");
        } catch (PartyException e) {
            LOG.warnf("Keygen for request %s refused: %s", Long.toUnsignedString(request.getRequest().getId()),
                    e.getMessage());
            observer.onError(e.toStatus().asRuntimeException());
            return;
        }
        reply(node.keygen(request), r -> KeygenResponse.newBuilder().setResponse(r).build(), observer);
    }

    @Override
    public void sign(SigningCall request, StreamObserver<SigningAnswer> observer) {
        try {
            access.requireOwnConnector(Caller.current(), "Sign");
        } catch (PartyException e) {
            LOG.warnf("Sign for sign request %s refused: %s", Long.toUnsignedString(request.getRequest().getId()),
                    e.getMessage());
            observer.onError(e.toStatus().asRuntimeException());
            return;
        }
        reply(node.sign(request), r -> SigningAnswer.newBuilder().setResponse(r).build(), observer);
    }

    @Override
    public void deliver(PeerEnvelope request, StreamObserver<DeliverAck> observer) {
        try {
            access.requirePeer(Caller.current(), request.getSenderAddr(), "Deliver");
        } catch (PartyException e) {
            observer.onError(e.toStatus().asRuntimeException());
            return;
        }
        reply(traced(request, node.deliver(request)), v -> DeliverAck.getDefaultInstance(), observer);
    }

    /**
     * Each envelope goes to the node exactly as in {@link #deliver}, all at once; the answer holds one
     * result per envelope, in order, written when the last one completes. A refused envelope does not
     * affect the others.
     */
    @Override
    public void deliverBatch(PeerEnvelopeBatch request, StreamObserver<DeliverBatchAck> observer) {
        int n = request.getEnvelopesCount();
        if (n == 0) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("empty envelope batch").asRuntimeException());
            return;
        }
        if (n > PeerClients.MAX_BATCH_ENVELOPES) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription("envelope batch of " + n
                    + " envelopes exceeds the limit of " + PeerClients.MAX_BATCH_ENVELOPES).asRuntimeException());
            return;
        }
        List<PeerEnvelope> envelopes = request.getEnvelopesList();
        Caller caller = Caller.current();
        try {
            // A caller that is no party at all is refused as a whole; a party's envelope naming another
            // sender is refused on its own below.
            access.requirePeer(caller, envelopes.get(0).getSenderAddr(), "DeliverBatch");
        } catch (PartyException e) {
            observer.onError(e.toStatus().asRuntimeException());
            return;
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] futures = new CompletableFuture[n];
        for (int i = 0; i < n; i++) {
            try {
                access.requirePeer(caller, envelopes.get(i).getSenderAddr(), "DeliverBatch");
                futures[i] = traced(envelopes.get(i), node.deliver(envelopes.get(i)));
            } catch (RuntimeException e) {
                futures[i] = CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture.allOf(futures).whenComplete((ignored, err) -> {
            DeliverBatchAck.Builder ack = DeliverBatchAck.newBuilder();
            for (CompletableFuture<Void> f : futures) {
                Status s = f.handle((v, e) -> e == null ? Status.OK : status(e)).join();
                ack.addResults(DeliverResult.newBuilder().setCode(s.getCode().value())
                        .setMessage(s.getDescription() == null ? "" : s.getDescription()));
            }
            observer.onNext(ack.build());
            observer.onCompleted();
        });
    }

    /**
     * A span of the envelope's request trace (continued from the envelope's traceparent, the sender's session),
     * from receipt until the envelope is handled. None for an envelope without trace context.
     */
    private CompletableFuture<Void> traced(PeerEnvelope envelope, CompletableFuture<Void> handled) {
        if (envelope.getTraceparent().isEmpty()) {
            return handled;
        }
        Span span = TraceContext.start(tracer, "keyfed.party.peer-message", SpanKind.CONSUMER,
                TraceContext.parent(envelope.getTraceparent()), envelope.getRequestId());
        span.setAttribute(TraceContext.PARTY, node.address());
        span.setAttribute("keyfed.sender", envelope.getSenderAddr());
        span.setAttribute("keyfed.kind", envelope.getKind());
        return handled.whenComplete((v, e) -> {
            if (e != null) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    private interface Mapper<T, R> {
        R map(T value);
    }

    private static <T, R> void reply(CompletableFuture<T> future, Mapper<T, R> mapper, StreamObserver<R> observer) {
        future.whenComplete((value, err) -> {
            if (err == null) {
                observer.onNext(mapper.map(value));
                observer.onCompleted();
                return;
            }
            observer.onError(status(err).asRuntimeException());
        });
    }

    /** A failure's status: a {@link PartyException}'s own; anything else INTERNAL without details (logged). */
    private static Status status(Throwable err) {
        Throwable cause = err;
        while (cause.getCause() != null && !(cause instanceof PartyException)) {
            cause = cause.getCause();
        }
        if (cause instanceof PartyException pe) {
            return pe.toStatus();
        }
        LOG.errorf("unexpected failure: %s", cause.toString());
        return Status.INTERNAL.withDescription("internal error");
    }
}
