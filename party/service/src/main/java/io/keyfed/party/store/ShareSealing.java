package io.keyfed.party.store;

import io.keyfed.api.encoding.CanonicalWriter;

/** Associated data of a sealed secret share: binds the blob to its request, session, curve and party. */
public final class ShareSealing {
    public static final String DOMAIN = "keyfed/party-share/v1";

    private ShareSealing() {
    }

    /**
     * {@code CanonicalWriter("keyfed/party-share/v1").u64(requestId).bytes(sessionId).string(curve)
     * .u32(keyType).string(partyAddress)}; curve is {@code secp256k1} or {@code ed25519}.
     */
    public static byte[] aad(long requestId, byte[] sessionId, String curve, int keyType, String partyAddress) {
        return new CanonicalWriter(DOMAIN).u64(requestId).bytes(sessionId).string(curve).u32(keyType)
                .string(partyAddress).toByteArray();
    }
}
