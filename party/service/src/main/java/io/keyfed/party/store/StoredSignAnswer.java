package io.keyfed.party.store;

import java.util.HexFormat;

import io.keyfed.api.ledger.v1.PartySignResponse;

/**
 * This party's answer to one sign request, as stored: the key it signs with, the signing session it was made
 * for, and the signed answer exactly as first returned. Public data only (signatures, never nonces or shares).
 */
public final class StoredSignAnswer {
    private final long signRequestId;
    private final long keyId;
    private final byte[] sessionId;
    private final PartySignResponse response;

    public StoredSignAnswer(long signRequestId, long keyId, byte[] sessionId, PartySignResponse response) {
        if (response.getRequestId() != signRequestId) {
            throw new IllegalArgumentException("the answer is for sign request "
                    + Long.toUnsignedString(response.getRequestId()) + ", not " + Long.toUnsignedString(signRequestId));
        }
        this.signRequestId = signRequestId;
        this.keyId = keyId;
        this.sessionId = sessionId.clone();
        this.response = response;
    }

    public long signRequestId() {
        return signRequestId;
    }

    public long keyId() {
        return keyId;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public PartySignResponse response() {
        return response;
    }

    @Override
    public String toString() {
        return "StoredSignAnswer[sign request " + Long.toUnsignedString(signRequestId) + ", key "
                + Long.toUnsignedString(keyId) + ", " + response.getStatus() + ", session "
                + HexFormat.of().formatHex(sessionId) + "]";
    }
}
