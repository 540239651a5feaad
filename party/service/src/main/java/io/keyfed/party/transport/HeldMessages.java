package io.keyfed.party.transport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.PartyException;

/**
 * Peer messages for requests whose Keygen has not reached this party yet. They are kept unverified
 * (the snapshot that would authenticate them is not known yet), bounded per request and in number
 * of requests, and dropped after a time to live. A session takes its request's messages when it
 * starts and authenticates them like any other.
 */
public final class HeldMessages {
    private static final class Bucket {
        final long created;
        final List<PeerEnvelope> messages = new ArrayList<>();

        Bucket(long created) {
            this.created = created;
        }
    }

    private final int maxPerRequest;
    private final int maxRequests;
    private final long ttlMillis;
    private final Map<Long, Bucket> buckets = new LinkedHashMap<>();

    public HeldMessages(int maxPerRequest, int maxRequests, long ttlMillis) {
        this.maxPerRequest = maxPerRequest;
        this.maxRequests = maxRequests;
        this.ttlMillis = ttlMillis;
    }

    /** Holds {@code e}; RESOURCE_EXHAUSTED over either bound. */
    public synchronized void hold(PeerEnvelope e, long nowMillis) {
        Bucket b = buckets.get(e.getRequestId());
        if (b == null) {
            if (buckets.size() >= maxRequests) {
                throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already holding early messages for "
                        + buckets.size() + " requests (keyfed.party.max-held-requests); request " + e.getRequestId()
                        + " has not been started by this party's connector");
            }
            b = new Bucket(nowMillis);
            buckets.put(e.getRequestId(), b);
        }
        if (b.messages.size() >= maxPerRequest) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already holding " + b.messages.size()
                    + " early messages for request " + e.getRequestId() + " (keyfed.party.max-held-messages)");
        }
        b.messages.add(e);
    }

    /** Removes and returns the messages held for {@code requestId}. */
    public synchronized List<PeerEnvelope> take(long requestId) {
        Bucket b = buckets.remove(requestId);
        return b == null ? List.of() : b.messages;
    }

    /** Drops buckets older than the time to live; returns how many messages were dropped. */
    public synchronized int expire(long nowMillis) {
        int dropped = 0;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket b = it.next();
            if (nowMillis - b.created >= ttlMillis) {
                dropped += b.messages.size();
                it.remove();
            }
        }
        return dropped;
    }

    public synchronized int messageCount() {
        return buckets.values().stream().mapToInt(b -> b.messages.size()).sum();
    }

    public synchronized int requestCount() {
        return buckets.size();
    }
}
