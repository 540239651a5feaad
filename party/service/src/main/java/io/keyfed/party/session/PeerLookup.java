package io.keyfed.party.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.keyfed.party.transport.PeerClients;
import io.keyfed.party.transport.PeerIdentity;

/**
 * Resolves a session's peers: asks the peer clients for every peer's identity, checked against the identity key
 * the request names, and notes which peers have answered (for the deadline's "waiting for" message). Started once
 * ({@link #start}); the lookups complete on the clients' threads, so the set of resolved peers is concurrent, and
 * {@link #peers} is read only after {@link #start}'s future completed normally.
 */
public final class PeerLookup {
    private final SessionParties spec;
    private final Set<String> resolved = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<PeerIdentity>> lookups = new ArrayList<>();

    public PeerLookup(SessionParties spec) {
        this.spec = spec;
    }

    /** Starts every peer's lookup (bounded by {@code endMillis}); completes when all did. */
    public CompletableFuture<Void> start(PeerClients clients, long endMillis) {
        for (String peer : spec.peers()) {
            lookups.add(clients.identity(peer, spec.identityKey(peer), endMillis)
                    .whenComplete((v, e) -> {
                        if (v != null) {
                            resolved.add(peer);
                        }
                    }));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new));
    }

    /** The peers' identities, in the order of the session's peers; once every lookup succeeded. */
    public List<PeerIdentity> peers() {
        List<PeerIdentity> peers = new ArrayList<>();
        lookups.forEach(f -> peers.add(f.join()));
        return peers;
    }

    /** Adds to {@code missing} every peer whose identity has not arrived yet. */
    public void missing(List<String> missing) {
        for (String p : spec.peers()) {
            if (!resolved.contains(p)) {
                missing.add("the identity (GetIdentity) of " + p);
            }
        }
    }
}
