package io.keyfed.party.store;

import java.util.List;
import java.util.Optional;

import io.keyfed.api.ledger.v1.PartyResponse;

/**
 * The party's own database of shares and answered requests (key requests and sign requests). Blocking: called from the party's worker threads,
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

    /**
     * Resolves the request's pending share, once: it becomes {@code state} (active or retired) with the signed
     * {@code response}. Returns the row afterwards: resolved by this call, or earlier (then unchanged).
     */
    StoredResult resolve(long requestId, ShareState state, PartyResponse response);

    /** Records, on a pending share, the other key the ledger recorded for its request. The share stays pending. */
    void recordLedgerMismatch(long requestId, byte[] ledgerPublicKey);

    /** Every pending share, in request-id order. */
    List<StoredResult> pendingShares();

    /** This party's stored answer to a sign request, if it answered it. */
    Optional<StoredSignAnswer> findSignAnswer(long signRequestId);

    /**
     * Stores {@code answer} unless its sign request already has one, and returns what is stored afterwards:
     * {@code answer} itself, or the earlier answer, which is never overwritten.
     *
     * @throws io.keyfed.party.session.PartyException INTERNAL when the database cannot be written
     */
    StoredSignAnswer putSignAnswerIfAbsent(StoredSignAnswer answer);
}
