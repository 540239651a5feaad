package io.keyfed.party.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.PartyException;

/**
 * Peer messages for requests this party has not confirmed with the ledger yet. They are kept unverified (the
 * snapshot that would authenticate them is not confirmed yet), <b>per sender</b>: each configured peer has a
 * bound of its own, so a peer flooding made-up requests fills only its own share. Held messages expire after a
 * time to live. A session takes its request's messages when it starts (after its request was confirmed) and
 * authenticates them like any other. The caller checks that the sender is a configured peer before holding.
 */
public final class HeldMessages {
    private record Held(PeerEnvelope envelope, long heldAtMillis) {
    }

    private final int maxPerPeer;
    private final long ttlMillis;
    private final Map<String, ArrayDeque<Held>> byPeer = new HashMap<>();

    public HeldMessages(int maxPerPeer, long ttlMillis) {
        this.maxPerPeer = maxPerPeer;
        this.ttlMillis = ttlMillis;
    }

    /** Holds {@code e} under its sender; RESOURCE_EXHAUSTED when that sender already has its bound held. */
    public synchronized void hold(PeerEnvelope e, long nowMillis) {
        String sender = e.getSenderAddr();
        ArrayDeque<Held> q = byPeer.computeIfAbsent(sender, s -> new ArrayDeque<>());
        dropExpired(q, nowMillis);
        if (q.size() >= maxPerPeer) {
            throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already holding " + q.size()
                    + " early messages from peer " + Addresses.printable(sender) + " for requests not confirmed here"
                    + " (keyfed.party.max-held-per-peer); request " + Long.toUnsignedString(e.getRequestId())
                    + " has not been confirmed by this party yet");
        }
        q.addLast(new Held(e, nowMillis));
    }

    /**
     * Removes and returns the messages of {@code protocol} held for {@code requestId}, from every sender, in
     * arrival order per sender (key requests and sign requests have separate id sequences: the protocol tells
     * them apart).
     */
    public synchronized List<PeerEnvelope> take(EnvelopeCodec.Protocol protocol, long requestId) {
        List<PeerEnvelope> out = new ArrayList<>();
        for (Iterator<ArrayDeque<Held>> peers = byPeer.values().iterator(); peers.hasNext();) {
            ArrayDeque<Held> q = peers.next();
            for (Iterator<Held> it = q.iterator(); it.hasNext();) {
                Held h = it.next();
                if (h.envelope().getRequestId() == requestId
                        && EnvelopeCodec.protocolOf(h.envelope().getKind()) == protocol) {
                    out.add(h.envelope());
                    it.remove();
                }
            }
            if (q.isEmpty()) {
                peers.remove();
            }
        }
        return out;
    }

    /** Drops messages held longer than the time to live; returns how many were dropped. */
    public synchronized int expire(long nowMillis) {
        int dropped = 0;
        for (Iterator<ArrayDeque<Held>> peers = byPeer.values().iterator(); peers.hasNext();) {
            ArrayDeque<Held> q = peers.next();
            dropped += dropExpired(q, nowMillis);
            if (q.isEmpty()) {
                peers.remove();
            }
        }
        return dropped;
    }

    /** Messages are appended in time order, so the expired ones are at the head. */
    private int dropExpired(ArrayDeque<Held> q, long nowMillis) {
        int dropped = 0;
        while (!q.isEmpty() && nowMillis - q.peekFirst().heldAtMillis() >= ttlMillis) {
            q.removeFirst();
            dropped++;
        }
        return dropped;
    }

    public synchronized int messageCount() {
        return byPeer.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    /** Messages held from {@code sender}. */
    public synchronized int messageCount(String sender) {
        ArrayDeque<Held> q = byPeer.get(sender);
        return q == null ? 0 : q.size();
    }

    /** Distinct requests with held messages. */
    public synchronized int requestCount() {
        Set<String> ids = new HashSet<>();
        byPeer.values().forEach(q -> q.forEach(h -> ids.add(EnvelopeCodec.protocolOf(h.envelope().getKind()) + "/"
                + Long.toUnsignedString(h.envelope().getRequestId()))));
        return ids.size();
    }
}
