package io.keyfed.party.grpc;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.keyfed.api.tls.ServiceIdentity;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * Reads the client certificate of every gRPC call from its TLS session (the Vert.x gRPC server puts the
 * session in {@link Grpc#TRANSPORT_ATTR_SSL_SESSION}) and makes it the call's {@link Caller}. The TLS
 * handshake has already checked the certificate against the party's pinned trust store; this only reads the
 * name it carries. {@link PartyAccess} decides what that name may call.
 */
@ApplicationScoped
@GlobalInterceptor
public class CallerInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        var session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        Caller caller = session == null ? Caller.PLAINTEXT
                : Caller.tls(ServiceIdentity.peerCertificate(session).flatMap(ServiceIdentity::of).orElse(null));
        return Contexts.interceptCall(Context.current().withValue(Caller.KEY, caller), call, headers, next);
    }
}
