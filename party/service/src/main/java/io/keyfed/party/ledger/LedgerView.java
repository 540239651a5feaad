package io.keyfed.party.ledger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.SignRequest;

/**
 * The party's own read-only view of the ledger: what the ledger itself says, never what a caller claims.
 * Implementations never block the calling thread; their futures complete on any thread.
 */
public interface LedgerView {

    /**
     * The ledger's chain id ({@code Params.chain_id}).
     *
     * @return fails with {@link io.keyfed.party.session.PartyException} {@code UNAVAILABLE} when the ledger
     *         could not be asked before {@code deadlineMillis}
     */
    CompletableFuture<String> chainId(long deadlineMillis);

    /**
     * The ledger's current copy of request {@code id}: its snapshot, which confirms a Keygen call before any
     * session, and its status, public key and reject reason, which alone resolve a pending share once final
     * ({@code io.keyfed.party.session.PendingShares}).
     *
     * @return empty when the ledger does not know the request; fails with
     *         {@link io.keyfed.party.session.PartyException} {@code UNAVAILABLE} when the ledger could not be
     *         asked before {@code deadlineMillis}
     */
    CompletableFuture<Optional<KeyRequest>> keyRequest(long id, long deadlineMillis);

    /**
     * The ledger's current copy of sign request {@code id}: the only source of what a party signs (key,
     * snapshot, threshold, messages), whatever a caller claims.
     *
     * @return empty when the ledger does not know the request; fails with
     *         {@link io.keyfed.party.session.PartyException} {@code UNAVAILABLE} when the ledger could not be
     *         asked before {@code deadlineMillis}
     */
    CompletableFuture<Optional<SignRequest>> signRequest(long id, long deadlineMillis);
}
