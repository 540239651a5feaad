package io.keyfed.party.grpc;

import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.party.v1.DeliverAck;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.PartyNode;
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

    @Inject
    public PartyEndpoint(PartyNode node) {
        this.node = node;
    }

    @Override
    public void getIdentity(GetIdentityRequest request, StreamObserver<PartyIdentity> observer) {
        observer.onNext(node.identity());
        observer.onCompleted();
    }

    @Override
    public void keygen(KeygenRequest request, StreamObserver<KeygenResponse> observer) {
        reply(node.keygen(request), r -> KeygenResponse.newBuilder().setResponse(r).build(), observer);
    }

    @Override
    public void deliver(PeerEnvelope request, StreamObserver<DeliverAck> observer) {
        reply(node.deliver(request), v -> DeliverAck.getDefaultInstance(), observer);
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
            Throwable cause = err;
            while (cause.getCause() != null && !(cause instanceof PartyException)) {
                cause = cause.getCause();
            }
            if (cause instanceof PartyException pe) {
                observer.onError(pe.toStatus().asRuntimeException());
            } else {
                LOG.errorf("unexpected failure: %s", cause.toString());
                observer.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
            }
        });
    }
}
