package io.keyfed.api.encoding;

import java.util.List;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * Bytes a party signs, inside its token, to answer a sign request ({@code PartySignResponse}). The whole
 * answer is bound: chain, request, keyring, key, scheme, the key the signatures verify under, the messages
 * (by their {@link SignMessages} hash), party, outcome, the signatures and the reason.
 *
 * <p>Version 1:
 * <pre>
 *   u32(23) "keyfed/sign-response/v1"   the domain, ASCII
 *   u32(len) chain_id                    UTF-8
 *   u64 request_id                       the sign request
 *   u32(len) keyring_addr                UTF-8
 *   u64 key_id
 *   u32 key_type                         KeyType enum number
 *   u32 scheme                           SignatureScheme enum number
 *   u32(len) verifying_key               the request's verifying_key (x(Q) for taproot)
 *   u32(32) messages_hash                SignMessages.hash(the request's messages)
 *   u32(len) party_addr                  UTF-8
 *   u8  status                           SignRequestStatus number: 3 FULFILLED, 4 REJECTED
 *   u32 count                            number of signatures (0 for REJECTED)
 *   u32(len) signature_1 ... signature_count
 *   u32(len) reject_reason               UTF-8; empty for FULFILLED
 * </pre>
 * Every integer is big-endian; {@code u32(len)} is a 4-byte length followed by that many bytes. The
 * party signs SHA-256 of these bytes with secp256k1 ECDSA (64-byte R||S, low S) using its registered
 * identity key, exactly as for {@link PartyResponseSignBytes}; the domains differ, so an answer to a key
 * request can never pass for one to a sign request.
 */
public final class SignResponseSignBytes {
    public static final String DOMAIN = "keyfed/sign-response/v1";

    private SignResponseSignBytes() {
    }

    public static byte[] of(String chainId, long requestId, String keyringAddr, long keyId, KeyType keyType,
            SignatureScheme scheme, byte[] verifyingKey, byte[] messagesHash, String partyAddr,
            SignRequestStatus status, List<byte[]> signatures, String rejectReason) {
        if (messagesHash == null || messagesHash.length != SignMessages.HASH_LENGTH) {
            throw new IllegalArgumentException("messages hash must be " + SignMessages.HASH_LENGTH + " bytes");
        }
        CanonicalWriter w = new CanonicalWriter(DOMAIN)
                .string(chainId)
                .u64(requestId)
                .string(keyringAddr)
                .u64(keyId)
                .u32(keyType.getNumber())
                .u32(scheme.getNumber())
                .bytes(verifyingKey)
                .bytes(messagesHash)
                .string(partyAddr)
                .u8(status.getNumber())
                .u32(signatures.size());
        for (byte[] s : signatures) {
            w.bytes(s);
        }
        return w.string(rejectReason).toByteArray();
    }
}
