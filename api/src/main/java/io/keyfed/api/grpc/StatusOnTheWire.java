package io.keyfed.api.grpc;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * How every KeyFed gRPC server (ledger, party, connector) closes a call; a global interceptor, outermost.
 * <ul>
 * <li><b>Status messages in gRPC's own percent-encoding.</b> The Vert.x gRPC server behind Quarkus's shared HTTP
 * port writes {@code grpc-message} with {@link java.net.URLEncoder}, which also escapes {@code , : ; / ? @ & = + $ #}
 * and spaces. The gRPC spec escapes only bytes outside {@code 0x20-0x7E} and {@code %}, and clients decode
 * accordingly: {@code @grpc/grpc-js} shows "%2C" and "%3A" for a comma and a colon. So the message travels in
 * the trailers under grpc-java's own {@code grpc-message} key (whose marshaller encodes as the spec says), and
 * the status given to the server has no description, so Vert.x writes none of its own.</li>
 * <li><b>A request that is not the method's protobuf message is INVALID_ARGUMENT.</b> The server drops a
 * request it cannot parse, and grpc-java then closes the unary call with INTERNAL "Half-closed without a
 * request"; a call that got no request message is answered INVALID_ARGUMENT naming the expected type.</li>
 * </ul>
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(Integer.MAX_VALUE)
public class StatusOnTheWire implements ServerInterceptor {
    /** grpc-java's description when a unary or server-streaming call ends without its request message. */
    static final String NO_REQUEST = "Half-closed without a request";

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        Closing<Q, A> closing = new Closing<>(call);
        ServerCall.Listener<Q> listener = next.startCall(closing, headers);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                closing.received = true;
                super.onMessage(message);
            }
        };
    }

    /** The status a call closes with, before it goes on the wire. */
    static Status refine(Status status, boolean received, String requestType) {
        if (!received && status.getCode() == Status.Code.INTERNAL && NO_REQUEST.equals(status.getDescription())) {
            return Status.INVALID_ARGUMENT.withDescription("the request is not a valid " + requestType
                    + " protobuf message (or no request message was sent)");
        }
        return status;
    }

    private static final class Closing<Q, A> extends SimpleForwardingServerCall<Q, A> {
        volatile boolean received;

        Closing(ServerCall<Q, A> call) {
            super(call);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            String type = getMethodDescriptor().getRequestMarshaller() instanceof io.grpc.MethodDescriptor.ReflectableMarshaller<?> r
                    ? r.getMessageClass().getSimpleName() : "request";
            Status s = refine(status, received, type);
            if (s.getCode() != Status.Code.OK && s.getDescription() != null) {
                trailers.removeAll(InternalStatus.MESSAGE_KEY);
                trailers.put(InternalStatus.MESSAGE_KEY, s.getDescription());
                s = Status.fromCode(s.getCode()).withCause(s.getCause());
            }
            super.close(s, trailers);
        }
    }
}
