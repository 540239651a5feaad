package io.keyfed.party.session;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.transport.PeerClients;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * A session's outbound side, for any protocol on the session runtime: seals each message under the channel keys
 * towards its peer (after the node's {@link OutboundPackages}, the identity in the service), puts the session's
 * trace context on it and hands it to the peer clients, which deliver it asynchronously; a failed delivery is only
 * logged (while the session runs). Not thread-safe: owned by one session and used only under its lock. Holds the
 * outbound channel keys until {@link #destroy}.
 */
public final class SessionOutbox {
    private final Logger log;
    private final SessionParties spec;
    private final PeerClients clients;
    private final OutboundPackages outbound;
    private final long endMillis;
    /** The session span's trace context, put on every envelope sent (outside the authenticated part). */
    private final String traceparent;
    /** The session's answer: a delivery failure is worth a warning only while it is not done. */
    private final CompletableFuture<?> result;
    private final Map<String, DirectionKeys> keys = new HashMap<>();

    /** {@code log} is the session's own category, so that its delivery warnings read with its other lines. */
    public SessionOutbox(SessionParties spec, PeerClients clients, OutboundPackages outbound, long endMillis,
            String traceparent, CompletableFuture<?> result, Logger log) {
        this.spec = spec;
        this.clients = clients;
        this.outbound = outbound;
        this.endMillis = endMillis;
        this.traceparent = traceparent;
        this.result = result;
        this.log = log;
    }

    /** The keys that seal this party's envelopes to {@code peer}. */
    public void channel(String peer, DirectionKeys out) {
        keys.put(peer, out);
    }

    /** Whether the keys towards {@code peer} exist (its identity was resolved). */
    public boolean hasChannel(String peer) {
        return keys.containsKey(peer);
    }

    public void broadcast(int kind, byte[] payload) {
        for (String peer : spec.peers()) {
            send(peer, kind, payload);
        }
    }

    /** Sends {@code payload} to {@code to}, as the node's {@link OutboundPackages} lets it go. */
    public void send(String to, int kind, byte[] payload) {
        byte[] body = outbound.apply(to, kind, payload);
        if (body == null) {
            return; // withheld by a test's outbound filter
        }
        sendAsIs(to, kind, body);
        if (body != payload) {
            java.util.Arrays.fill(body, (byte) 0);
        }
    }

    /**
     * Sends {@code payload} without passing it through {@link OutboundPackages}: for a payload whose plaintext
     * already went through it (an encrypted round-2 share).
     */
    public void sendAsIs(String to, int kind, byte[] payload) {
        PeerEnvelope env = EnvelopeCodec.seal(keys.get(to), spec.requestId(), spec.sessionIdBytes(), spec.self(),
                to, kind, payload);
        if (!traceparent.isEmpty()) {
            env = env.toBuilder().setTraceparent(traceparent).build();
        }
        clients.deliver(env, endMillis).whenComplete((ok, err) -> {
            if (err != null && !result.isDone()) {
                // A peer whose session already ended refuses with FAILED_PRECONDITION: expected, not a fault.
                boolean ended = io.grpc.Status.fromThrowable(WorkerFutures.unwrap(err)).getCode()
                        == io.grpc.Status.Code.FAILED_PRECONDITION;
                log.logf(ended ? Logger.Level.DEBUG : Logger.Level.WARN, "request %s: cannot deliver kind %d to %s: %s",
                        spec.requestIdText(), kind, to, WorkerFutures.describe(err));
            }
        });
    }

    /** Wipes the outbound channel keys; nothing can be sent afterwards. */
    public void destroy() {
        keys.values().forEach(DirectionKeys::destroy);
        keys.clear();
    }
}
