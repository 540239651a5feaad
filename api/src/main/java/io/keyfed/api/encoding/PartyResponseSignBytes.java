package io.keyfed.api.encoding;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;

/**
 * Bytes a party signs, inside its token, to answer a key request. Unlike the reference system, which
 * signs only the 8-byte request id, the whole response is bound: chain, request, keyring, key type,
 * party, outcome, public key and reason.
 *
 * <pre>
 * "keyfed/party-response/v1" as a length-prefixed string, then
 * string chain_id, u64 request_id, string keyring_addr, u32 key_type, string party_addr,
 * u8 status, bytes public_key, string reject_reason
 * </pre>
 *
 * Strings and byte strings carry a 4-byte big-endian length prefix. The signature is secp256k1 ECDSA
 * over SHA-256 of these bytes, 64-byte R||S with low S.
 */
public final class PartyResponseSignBytes {
    public static final String DOMAIN = "keyfed/party-response/v1";

    private PartyResponseSignBytes() {
    }

    public static byte[] of(String chainId, long requestId, String keyringAddr, KeyType keyType, String partyAddr,
            KeyRequestStatus status, byte[] publicKey, String rejectReason) {
        return new CanonicalWriter(DOMAIN)
                .string(chainId)
                .u64(requestId)
                .string(keyringAddr)
                .u32(keyType.getNumber())
                .string(partyAddr)
                .u8(status.getNumber())
                .bytes(publicKey)
                .string(rejectReason)
                .toByteArray();
    }
}
