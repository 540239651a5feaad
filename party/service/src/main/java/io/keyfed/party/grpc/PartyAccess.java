package io.keyfed.party.grpc;

import io.grpc.Status;
import io.keyfed.api.tls.ServiceIdentity;
import io.keyfed.party.session.PartyException;

/**
 * What each caller may call on this party, by the identity its client certificate names ({@link Caller}):
 * <ul>
 * <li>{@code Keygen}: only this party's own connector, {@code keyfed:connector:<this party's address>};</li>
 * <li>{@code Deliver} and {@code DeliverBatch}: only a party, and only envelopes whose sender is that party
 * ({@code keyfed:party:<sender>}); the session then also requires the sender to be in the request's confirmed
 * snapshot;</li>
 * <li>{@code GetIdentity}: anyone (it is public, and signed in the token).</li>
 * </ul>
 * A call over TLS without a KeyFed client certificate is UNAUTHENTICATED; one with a certificate this party
 * does not pin (see {@link CallerInterceptor}), or from another identity, is PERMISSION_DENIED. In plain-text development mode ({@code plaintextAllowed}) callers cannot be identified,
 * and calls without TLS are let through; over TLS the rules above still apply.
 */
public final class PartyAccess {
    private final String self;
    private final boolean plaintextAllowed;

    public PartyAccess(String self, boolean plaintextAllowed) {
        this.self = self;
        this.plaintextAllowed = plaintextAllowed;
    }

    /** Throws unless {@code caller} is this party's connector. */
    public void requireOwnConnector(Caller caller, String what) {
        require(caller, ServiceIdentity.connector(self), what);
    }

    /** Throws unless {@code caller} is the party {@code sender}. */
    public void requirePeer(Caller caller, String sender, String what) {
        require(caller, ServiceIdentity.party(sender), what);
    }

    private void require(Caller caller, ServiceIdentity expected, String what) {
        if (!caller.tls()) {
            if (plaintextAllowed) {
                return;
            }
            throw new PartyException(Status.Code.UNAUTHENTICATED, what + " needs TLS with a client certificate");
        }
        if (caller.identity().isEmpty()) {
            throw new PartyException(Status.Code.UNAUTHENTICATED, what + " needs a client certificate naming "
                    + expected.uri() + "; the caller presented none (or one without a keyfed: URI)");
        }
        if (!caller.pinned()) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, what + " refused: the client certificate ("
                    + caller.describe() + ") is not one this party pins; only its peers' and its own connector's are");
        }
        if (!caller.identity().get().equals(expected)) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, what + " is accepted only from "
                    + expected.uri() + ", not from " + caller.describe());
        }
    }
}
