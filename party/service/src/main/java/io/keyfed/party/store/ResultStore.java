package io.keyfed.party.store;

import java.util.Optional;

/**
 * The party's own database of answered requests. Blocking: called from the party's worker threads,
 * never from an event loop. A result is committed before the call that stored it returns, and is
 * written at most once per request id.
 */
public interface ResultStore {

    /** The stored result of a request, if any. */
    Optional<StoredResult> find(long requestId);

    /** Whether the request has a stored result. */
    default boolean contains(long requestId) {
        return find(requestId).isPresent();
    }

    /**
     * Stores {@code result} unless its request already has one, and returns what is stored for the
     * request afterwards: {@code result} itself, or the earlier result, which is never overwritten.
     *
     * @throws io.keyfed.party.session.PartyException INTERNAL when the database cannot be written
     */
    StoredResult putIfAbsent(StoredResult result);
}
