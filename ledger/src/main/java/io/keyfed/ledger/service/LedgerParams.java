package io.keyfed.ledger.service;

import io.keyfed.api.ledger.v1.Params;

/** Ledger parameters fixed at genesis; immutable for the life of the database. */
public record LedgerParams(String chainId, String addressPrefix, String denom, long genesisSupply,
        String escrowAddress, long defaultTimeoutSeconds, long maxTimeoutSeconds) {

    public Params toProto() {
        return Params.newBuilder()
                .setChainId(chainId)
                .setAddressPrefix(addressPrefix)
                .setDenom(denom)
                .setGenesisSupply(Long.toString(genesisSupply))
                .setEscrowAddress(escrowAddress)
                .setDefaultTimeoutSeconds(defaultTimeoutSeconds)
                .build();
    }
}
