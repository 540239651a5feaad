package io.keyfed.party.pairing;

import java.util.concurrent.CompletableFuture;

import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.transport.PeerIdentity;

/**
 * This party's DKLs23 pairwise setups (SIGNING.md, "DKLs23 for ECDSA"): at most one per other keyring party, run
 * lazily the first time the two sign together, sealed in the token and bound to both parties' identity keys.
 * The DKLs23 signing sessions ask for them; nothing else holds one.
 */
public interface PairSetups {
    /**
     * The usable setup this party shares with {@code peer}, labelled for one signing: {@code self} and
     * {@code peerIdentifier} are the two parties' identifiers in the key being signed with. The stored setup is
     * used when both sides hold the same one; otherwise a fresh setup is run with the peer now and sealed before
     * the future completes. Both parties of a pair call this for the same attempt; concurrent calls for one peer
     * share one run. Completes on a worker thread, never on the event loop. The returned output is the caller's
     * own copy, to destroy when done; {@link #discard} makes it unusable.
     *
     * <p>The setup run itself labels the pair 1 (lower address) and 2; the copy returned is relabelled to
     * ({@code self}, {@code peerIdentifier}) ({@link PairwiseSetupOutput#relabelled}), so the two parties must pass
     * the same two identifiers, each its own first. A peer's HELLO starts the run on the other side too, so the
     * two calls need not come at the same moment: the one that comes later joins the run still going, or runs a
     * HELLO exchange that finds the stored setup.
     *
     * <p>Fails with a {@link io.keyfed.party.session.PartyException} naming the peer when a fresh run fails (its
     * check names the culprit) or the peer does not answer before {@code deadlineMillis}.
     *
     * @param signRequestId the sign request the setup is needed for (for logs and the envelopes' request id; not 0)
     * @param deadlineMillis when this call gives up (epoch milliseconds, {@link System#currentTimeMillis()})
     */
    CompletableFuture<PairwiseSetupOutput> ensure(PeerIdentity peer, int self, int peerIdentifier,
            long signRequestId, long deadlineMillis);

    /**
     * Discards the setup with {@code peer} after a failed OT or multiplication check ({@code reason} names the
     * check): the sealed copy is deleted, so the next {@link #ensure} runs a fresh setup, and no copy already handed
     * out is accepted for a new signing.
     */
    void discard(PeerIdentity peer, String reason);
}
