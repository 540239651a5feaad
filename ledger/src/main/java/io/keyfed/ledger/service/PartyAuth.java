package io.keyfed.ledger.service;

import java.util.List;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyringParty;

/**
 * Authorisation of a party's answer, for key and sign requests alike: the sender must be in the request's
 * snapshot of parties, and the answer must carry that party's in-token signature (secp256k1, low S) over the
 * answer's canonical sign bytes. Both refusals are PERMISSION_DENIED.
 */
final class PartyAuth {
    private PartyAuth() {
    }

    /** {@code what}: the request as named in messages, e.g. "key request 7". */
    static KeyringParty party(List<KeyringParty> parties, String partyAddr, String what) {
        return parties.stream().filter(p -> p.getAddress().equals(partyAddr)).findFirst()
                .orElseThrow(() -> LedgerException.denied(partyAddr + " is not a party of " + what));
    }

    static void requireSignature(KeyringParty party, byte[] signBytes, byte[] signature, String what) {
        if (!Secp256k1.verify(party.getPublicKey().toByteArray(), signBytes, signature)) {
            throw LedgerException.denied("bad party signature from " + party.getAddress() + " on " + what);
        }
    }
}
