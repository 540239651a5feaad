package io.keyfed.party.session;

/**
 * A pending share as the admin view shows it (public data only): its request, this party's identifier, the key
 * type, the group key this party verified, and the key the ledger recorded when that differs (else null; the
 * share is then not attested). {@code resolving}: the party is reading the request's status at the ledger now.
 */
public record PendingShare(long requestId, int participantId, int keyType, byte[] publicKey, byte[] ledgerPublicKey,
        boolean resolving) {
}
