package io.keyfed.party.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.party.v1.PeerEnvelope;

/**
 * The envelopes a session receives before its round 1 starts (while it resolves its peers), in arrival order:
 * messages taken from the hold when the session began (nobody waits for them) and Deliver calls made meanwhile
 * (their caller waits for the acknowledgement). Only participants' envelopes are queued, at most
 * keyfed.party.max-held-messages of them; each queued envelope is eventually accepted or refused, never dropped
 * silently. Not thread-safe: owned by one session and used only under its lock.
 */
public final class EarlyEnvelopes {
    /** A queued envelope and, for a Deliver call, the acknowledgement its caller waits for (else null). */
    public record Early(PeerEnvelope envelope, CompletableFuture<Void> ack) {
        public void accepted() {
            if (ack != null) {
                ack.complete(null);
            }
        }

        public void refuse(PartyException e) {
            if (ack != null) {
                ack.completeExceptionally(e);
            }
        }
    }

    private final SessionParties spec;
    private final int max;
    private final List<Early> queue = new ArrayList<>();

    public EarlyEnvelopes(SessionParties spec, int max) {
        this.spec = spec;
        this.max = max;
    }

    /** Queues the messages held for the request before its session started; nobody waits for them. */
    public void held(List<PeerEnvelope> held) {
        for (PeerEnvelope e : held) {
            queue.add(new Early(e, null));
        }
    }

    /** Queues a Deliver call's envelope; the future completes when it was processed (or refused). */
    public CompletableFuture<Void> add(PeerEnvelope e) {
        if (!spec.isParticipant(e.getSenderAddr())) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, "request " + spec.requestIdText()
                    + ": sender '" + Addresses.printable(e.getSenderAddr())
                    + "' is not a participant of this session");
        }
        if (queue.size() >= max) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "request " + spec.requestIdText()
                    + ": already " + queue.size() + " messages queued while the session starts");
        }
        CompletableFuture<Void> ack = new CompletableFuture<>();
        queue.add(new Early(e, ack));
        return ack;
    }

    /** Every queued envelope, in arrival order; the queue is empty afterwards. */
    public List<Early> drain() {
        List<Early> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    /** Refuses every queued envelope (FAILED_PRECONDITION, {@code why}) and empties the queue. */
    public void refuseAll(String why) {
        for (Early p : queue) {
            p.refuse(new PartyException(Status.Code.FAILED_PRECONDITION, why));
        }
        queue.clear();
    }
}
