package io.keyfed.party.session;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyringParty;

/**
 * The check of a request's party snapshot that every protocol makes before a session: well-formed addresses,
 * each with a valid identity key matching it, none twice, and this party in it under its own identity key.
 */
public final class SnapshotKeys {
    private SnapshotKeys() {
    }

    /**
     * The snapshot's identity keys by address.
     *
     * @throws PartyException INVALID_ARGUMENT naming request {@code id} and the problem
     */
    public static Map<String, byte[]> validate(List<KeyringParty> parties, String prefix, String selfAddress,
            byte[] selfKey, String id) {
        Map<String, byte[]> keys = new HashMap<>();
        for (KeyringParty p : parties) {
            String a = p.getAddress();
            byte[] key = p.getPublicKey().toByteArray();
            try {
                Addresses.requireAddress(a, prefix, "party address");
            } catch (IllegalArgumentException e) {
                throw PartyException.invalid("request " + id + ": " + e.getMessage());
            }
            if (key.length != 33 || !Secp256k1.isValidPublicKey(key) || !Addresses.account(prefix, key).equals(a)) {
                throw PartyException.invalid("request " + id + ": party " + a
                        + " has no valid 33-byte secp256k1 key matching its address");
            }
            if (keys.put(a, key) != null) {
                throw PartyException.invalid("request " + id + ": party " + a + " is listed twice");
            }
        }
        byte[] registered = keys.get(selfAddress);
        if (registered == null) {
            throw PartyException.invalid("request " + id + ": this party (" + selfAddress
                    + ") is not in the request's party snapshot");
        }
        if (!Arrays.equals(registered, selfKey)) {
            throw new PartyException(Status.Code.INVALID_ARGUMENT, "request " + id + ": the snapshot registers "
                    + "another identity key for this party's address " + selfAddress);
        }
        return Map.copyOf(keys);
    }
}
