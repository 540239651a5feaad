package io.keyfed.api.encoding;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;

/**
 * Bytes a party signs, inside its token, to answer a key request. The whole answer is bound: chain,
 * request, keyring, key type, party, outcome, public key, reason, and (since v2) the DKG session id, which
 * names the ordered party list and the threshold the party ran ({@link DkgSessionId}).
 *
 * <p>Version 2 (the only one the ledger accepts):
 * <pre>
 *   u32(24) "keyfed/party-response/v2"   the domain, ASCII
 *   u32(len) chain_id                     UTF-8
 *   u64 request_id
 *   u32(len) keyring_addr                 UTF-8
 *   u32 key_type                          KeyType enum number
 *   u32(len) party_addr                   UTF-8
 *   u8  status                            KeyRequestStatus number: 3 FULFILLED, 4 REJECTED
 *   u32(len) public_key                   33-byte compressed secp256k1 or 32-byte ed25519; empty for REJECTED
 *   u32(len) reject_reason                UTF-8; empty for FULFILLED
 *   u32(len) session_id                   the 32-byte DkgSessionId of the request
 * </pre>
 * Every integer is big-endian; {@code u32(len)} is a 4-byte length followed by that many bytes. The
 * signature is secp256k1 ECDSA over SHA-256 of these bytes, 64-byte R||S with low S, by the party's
 * registered identity key.
 *
 * <p>Version 1 ({@link #ofV1}) had the domain {@code "keyfed/party-response/v1"} and no session id. It is
 * kept only so that a party can recognise an answer it stored under v1 and re-sign it under v2.
 */
public final class PartyResponseSignBytes {
    public static final String DOMAIN = "keyfed/party-response/v2";
    public static final String DOMAIN_V1 = "keyfed/party-response/v1";

    private PartyResponseSignBytes() {
    }

    /** The v2 sign bytes; {@code sessionId} must be the request's 32-byte {@link DkgSessionId}. */
    public static byte[] of(String chainId, long requestId, String keyringAddr, KeyType keyType, String partyAddr,
            KeyRequestStatus status, byte[] publicKey, String rejectReason, byte[] sessionId) {
        if (sessionId == null || sessionId.length != DkgSessionId.LENGTH) {
            throw new IllegalArgumentException("session id must be " + DkgSessionId.LENGTH + " bytes");
        }
        return fields(DOMAIN, chainId, requestId, keyringAddr, keyType, partyAddr, status, publicKey, rejectReason)
                .bytes(sessionId)
                .toByteArray();
    }

    /** The v1 sign bytes (no session id), to recognise answers stored before v2. */
    public static byte[] ofV1(String chainId, long requestId, String keyringAddr, KeyType keyType, String partyAddr,
            KeyRequestStatus status, byte[] publicKey, String rejectReason) {
        return fields(DOMAIN_V1, chainId, requestId, keyringAddr, keyType, partyAddr, status, publicKey,
                rejectReason).toByteArray();
    }

    private static CanonicalWriter fields(String domain, String chainId, long requestId, String keyringAddr,
            KeyType keyType, String partyAddr, KeyRequestStatus status, byte[] publicKey, String rejectReason) {
        return new CanonicalWriter(domain)
                .string(chainId)
                .u64(requestId)
                .string(keyringAddr)
                .u32(keyType.getNumber())
                .string(partyAddr)
                .u8(status.getNumber())
                .bytes(publicKey)
                .string(rejectReason);
    }
}
