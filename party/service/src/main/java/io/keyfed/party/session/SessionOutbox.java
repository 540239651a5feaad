package io.keyfed.party.session;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * A session's outbound side: seals each message under the channel keys towards its peer (after the test
 * outbound filter, {@link DkgSessionManager#filterOutbound}), puts the session's trace context on it and hands it
 * to the peer clients, which deliver it asynchronously; a failed delivery is only logged (while the session
 * runs). Not thread-safe: owned by one {@link KeygenSession} and used only under its lock. Holds the outbound
 * channel keys until {@link #destroy}.
 */
final class SessionOutbox {
    /** Logs under the session's category. */
    private static final Logger LOG = Logger.getLogger(KeygenSession.class);

    private final SessionSpec spec;
    private final DkgSessionManager manager;
    private final long endMillis;
    /** The session span's trace context, put on every envelope sent (outside the authenticated part). */
    private final String traceparent;
    /** The session's answer: a delivery failure is worth a warning only while it is not done. */
    private final CompletableFuture<PartyResponse> result;
    private final Map<String, DirectionKeys> keys = new HashMap<>();

    SessionOutbox(SessionSpec spec, DkgSessionManager manager, long endMillis, String traceparent,
            CompletableFuture<PartyResponse> result) {
        this.spec = spec;
        this.manager = manager;
        this.endMillis = endMillis;
        this.traceparent = traceparent;
        this.result = result;
    }

    /** The keys that seal this party's envelopes to {@code peer}. */
    void channel(String peer, DirectionKeys out) {
        keys.put(peer, out);
    }

    void broadcast(int kind, byte[] payload) {
        for (String peer : spec.peers()) {
            send(peer, kind, payload);
        }
    }

    void send(String to, int kind, byte[] payload) {
        // A round-2 payload is already encrypted and signed: its plaintext went through the filter in seal().
        byte[] body = kind == EnvelopeCodec.KIND_ROUND2 ? payload : manager.filterOutbound(to, kind, payload);
        if (body == null) {
            return; // withheld by a test's outbound filter
        }
        PeerEnvelope env = EnvelopeCodec.seal(keys.get(to), spec.requestId(), spec.sessionId().toBytes(),
                spec.self(), to, kind, body);
        if (body != payload) {
            java.util.Arrays.fill(body, (byte) 0);
        }
        if (!traceparent.isEmpty()) {
            env = env.toBuilder().setTraceparent(traceparent).build();
        }
        manager.clients().deliver(env, endMillis).whenComplete((ok, err) -> {
            if (err != null && !result.isDone()) {
                LOG.warnf("request %s: cannot deliver kind %d to %s: %s", spec.requestIdText(), kind, to,
                        WorkerFutures.describe(err));
            }
        });
    }

    /**
     * Tells every peer why this party aborted: {@code culprit}, the failed {@code check}, and the evidence
     * {@code shares} holds against the culprit (if any). Sends nothing before the channel keys exist.
     */
    void complain(int culprit, String check, ShareExchange shares) {
        if (keys.isEmpty() && spec.n() > 1) {
            return;
        }
        byte[] evidence = shares == null ? null : shares.evidenceAgainst(culprit);
        byte[] payload = KeyConfirmation.encodeComplaint(culprit, check, evidence);
        for (String peer : spec.peers()) {
            if (keys.containsKey(peer)) {
                send(peer, EnvelopeCodec.KIND_COMPLAINT, payload);
            }
        }
    }

    /** Wipes the outbound channel keys; nothing can be sent afterwards. */
    void destroy() {
        keys.values().forEach(DirectionKeys::destroy);
        keys.clear();
    }
}
