package io.keyfed.api.encoding;

import java.nio.charset.StandardCharsets;

/**
 * Bytes a transaction sender signs: {@code "keyfed/tx/v1" || 0x00 || body_bytes}, where body_bytes is the
 * serialised TxBody exactly as carried in TxRaw. The signature is secp256k1 ECDSA over SHA-256 of these
 * bytes, 64-byte R||S with low S. Because the ledger checks the bytes it received, the protobuf encoding
 * never needs to be reproduced.
 */
public final class TxSignBytes {
    public static final byte[] DOMAIN = "keyfed/tx/v1".getBytes(StandardCharsets.US_ASCII);

    private TxSignBytes() {
    }

    public static byte[] of(byte[] bodyBytes) {
        byte[] out = new byte[DOMAIN.length + 1 + bodyBytes.length];
        System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
        out[DOMAIN.length] = 0;
        System.arraycopy(bodyBytes, 0, out, DOMAIN.length + 1, bodyBytes.length);
        return out;
    }
}
