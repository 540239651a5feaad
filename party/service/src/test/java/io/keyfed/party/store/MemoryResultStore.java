package io.keyfed.party.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Results kept in memory, for the in-JVM session and transport tests (parties in one JVM without
 * Quarkus). Same insert-once contract as the service's {@link DbResultStore}; the database itself is
 * exercised by the process integration test ({@code PartyProcessesIT}) against real PostgreSQL.
 */
public final class MemoryResultStore implements ResultStore {
    private final ConcurrentMap<Long, StoredResult> results = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredResult> find(long requestId) {
        return Optional.ofNullable(results.get(requestId));
    }

    @Override
    public StoredResult putIfAbsent(StoredResult result) {
        StoredResult earlier = results.putIfAbsent(result.requestId(), result);
        return earlier == null ? result : earlier;
    }

    /** Overwrites a stored result, as someone editing the database would (tamper tests only). */
    public void replaceForTests(StoredResult result) {
        results.put(result.requestId(), result);
    }

    /** Request ids with a stored result. */
    public List<Long> requestIds() {
        return new ArrayList<>(results.keySet());
    }
}
