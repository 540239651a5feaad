package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.EnvelopeAdmission;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.SessionOutbox;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.PeerIdentity;
import io.grpc.Status;

/**
 * A signing session's peers, each on its own: unlike a DKG, signing needs only t of the n parties, so the session
 * does not wait for every peer. A peer's channel keys exist once its identity resolved; until then what this
 * party sends it waits here, and what it sends this party waits too (bounded), both delivered when it resolves.
 * Not thread-safe: owned by one {@link SigningSession}, used under its lock. The channel keys live in the
 * session's {@link EnvelopeAdmission} and {@link SessionOutbox}, which wipe them.
 */
final class SigningPeers {
    /** A message for a peer whose keys do not exist yet. */
    private record Outgoing(int kind, byte[] payload) {
    }

    /** A peer's envelope received before its keys existed, with the Deliver call's acknowledgement. */
    record Early(PeerEnvelope envelope, java.util.concurrent.CompletableFuture<Void> ack) {
    }

    private final SignSpec spec;
    private final EnvelopeAdmission admission;
    private final SessionOutbox outbox;
    private final int maxEarly;
    private final Map<String, List<Outgoing>> waitingOut = new HashMap<>();
    private final List<Early> early = new ArrayList<>();

    SigningPeers(SignSpec spec, EnvelopeAdmission admission, SessionOutbox outbox, int maxEarly) {
        this.spec = spec;
        this.admission = admission;
        this.outbox = outbox;
        this.maxEarly = maxEarly;
    }

    boolean ready(String peer) {
        return outbox.hasChannel(peer);
    }

    /** The peer's identity resolved: its keys (blocking: token ECDH) and what waited for them. */
    List<Early> resolved(PeerIdentity p, ChannelKeys channelKeys) {
        byte[] sid = spec.sessionIdBytes();
        admission.channel(p.address(), channelKeys.direction(p, sid, p.address(), spec.self()));
        outbox.channel(p.address(), channelKeys.direction(p, sid, spec.self(), p.address()));
        List<Outgoing> out = waitingOut.remove(p.address());
        if (out != null) {
            out.forEach(o -> outbox.send(p.address(), o.kind(), o.payload()));
        }
        List<Early> in = new ArrayList<>();
        early.removeIf(e -> {
            if (e.envelope().getSenderAddr().equals(p.address())) {
                in.add(e);
                return true;
            }
            return false;
        });
        return in;
    }

    void send(String to, int kind, byte[] payload) {
        if (ready(to)) {
            outbox.send(to, kind, payload);
        } else {
            waitingOut.computeIfAbsent(to, k -> new ArrayList<>()).add(new Outgoing(kind, payload));
        }
    }

    void broadcast(int kind, byte[] payload) {
        for (String p : spec.peers()) {
            send(p, kind, payload);
        }
    }

    /** Queues an envelope from a peer whose keys do not exist yet; its acknowledgement waits. */
    java.util.concurrent.CompletableFuture<Void> hold(PeerEnvelope e) {
        if (early.size() >= maxEarly) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "sign request " + spec.requestIdText()
                    + ": already " + early.size() + " messages queued from peers being resolved");
        }
        java.util.concurrent.CompletableFuture<Void> ack = new java.util.concurrent.CompletableFuture<>();
        early.add(new Early(e, ack));
        return ack;
    }

    /** Refuses every queued envelope and forgets what waited to be sent. */
    void close(String why) {
        early.forEach(e -> {
            if (e.ack() != null) {
                e.ack().completeExceptionally(new PartyException(Status.Code.FAILED_PRECONDITION, why));
            }
        });
        early.clear();
        waitingOut.clear();
    }
}
