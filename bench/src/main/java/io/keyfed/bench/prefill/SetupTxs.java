package io.keyfed.bench.prefill;

import java.util.List;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewWorkspace;
import io.keyfed.api.ledger.v1.Workspace;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tx.TxBuilder;

/**
 * The prefill's keyring and workspaces as the ledger makes them from the admin's MsgNewKeyring and
 * MsgNewWorkspace transactions: the created address ({@link Addresses#keyring}, {@link Addresses#workspace}, as the
 * ledger assigns it), the stored message and the log outcome.
 */
final class SetupTxs {
    /** A created record: its address, the signed transaction, the stored data and the log outcome. */
    record Created(String address, byte[] tx, byte[] data, String outcome) {
    }

    private SetupTxs() {
    }

    /** {@code parties} sorted by address (as the ledger stores them). */
    static Created keyring(SigningKey admin, String adminAddr, String chainId, long sequence,
            List<KeyringParty> parties, int threshold, long fee) {
        String description = "keyfed bench prefill";
        byte[] tx = TxBuilder.build(admin, chainId, sequence, b -> b.setNewKeyring(MsgNewKeyring.newBuilder()
                .setDescription(description).setPartyThreshold(threshold).setKeyReqFee(Long.toString(fee))
                .setSigReqFee("0").addAllParties(parties))).toByteArray();
        String address = Addresses.keyring(adminAddr, sequence);
        byte[] data = Keyring.newBuilder().setAddress(address).setCreator(adminAddr).setDescription(description)
                .addAdmins(adminAddr).addAllParties(parties).setPartyThreshold(threshold)
                .setKeyReqFee(Long.toString(fee)).setSigReqFee("0").setIsActive(true).build().toByteArray();
        return new Created(address, tx, data, "keyring " + address + " created with " + parties.size()
                + " part" + (parties.size() == 1 ? "y" : "ies") + ", threshold " + threshold);
    }

    /** A workspace owned by the admin alone. */
    static Created workspace(SigningKey admin, String adminAddr, String chainId, long sequence) {
        byte[] tx = TxBuilder.build(admin, chainId, sequence, b -> b.setNewWorkspace(MsgNewWorkspace.newBuilder()))
                .toByteArray();
        String address = Addresses.workspace(adminAddr, sequence);
        byte[] data = Workspace.newBuilder().setAddress(address).setCreator(adminAddr).addOwners(adminAddr).build()
                .toByteArray();
        return new Created(address, tx, data, "workspace " + address + " created with 1 owner(s)");
    }
}
