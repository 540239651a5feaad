package io.keyfed.party.grpc;

import java.util.Optional;

import io.grpc.Context;
import io.keyfed.api.tls.ServiceIdentity;

/**
 * Who made the current gRPC call, as its TLS client certificate says ({@link ServiceIdentity}); set by
 * {@link CallerInterceptor} for the duration of each call.
 *
 * @param tls whether the call came over TLS at all (false only in plain-text development mode)
 * @param identity the identity the client certificate names; empty without a certificate, or with one that
 *        names nobody
 * @param pinned whether the certificate is one of those this party pins (exactly its peers' and its own
 *        connector's); a certificate the federation's CA issued to anyone else is not
 */
public record Caller(boolean tls, Optional<ServiceIdentity> identity, boolean pinned) {
    static final Context.Key<Caller> KEY = Context.key("keyfed-caller");
    static final Caller PLAINTEXT = new Caller(false, Optional.empty(), false);
    static final Caller ANONYMOUS = new Caller(true, Optional.empty(), false);

    /** The caller of the call in progress; {@link #PLAINTEXT} outside a call the interceptor saw. */
    public static Caller current() {
        Caller c = KEY.get();
        return c == null ? PLAINTEXT : c;
    }

    /** A caller whose certificate this party pins and which names {@code identity}. */
    public static Caller pinned(ServiceIdentity identity) {
        return new Caller(true, Optional.of(identity), true);
    }

    /** For messages: the certificate's URI, or why there is none. */
    public String describe() {
        if (!tls) {
            return "a plain-text caller";
        }
        return identity.map(ServiceIdentity::uri).orElse("a caller without a KeyFed client certificate");
    }
}
