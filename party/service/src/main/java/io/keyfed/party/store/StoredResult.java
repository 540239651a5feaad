package io.keyfed.party.store;

import java.util.HexFormat;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;

/**
 * What the party keeps for one answered request: the signed response, and for FULFILLED the public
 * key package and the secret share sealed in the token (never the share in clear).
 */
public final class StoredResult {
    private final long requestId;
    private final int keyType;
    private final byte[] sessionId;
    private final int participantId;
    private final byte[] publicKeyPackage;
    private final byte[] sealedShare;
    private final PartyResponse response;

    public StoredResult(long requestId, int keyType, byte[] sessionId, int participantId, byte[] publicKeyPackage,
            byte[] sealedShare, PartyResponse response) {
        this.requestId = requestId;
        this.keyType = keyType;
        this.sessionId = sessionId.clone();
        this.participantId = participantId;
        this.publicKeyPackage = publicKeyPackage == null ? new byte[0] : publicKeyPackage.clone();
        this.sealedShare = sealedShare == null ? new byte[0] : sealedShare.clone();
        this.response = response;
    }

    public long requestId() {
        return requestId;
    }

    /** KeyType enum number. */
    public int keyType() {
        return keyType;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** This party's DKG identifier in the session (its position in the sorted party list, from 1). */
    public int participantId() {
        return participantId;
    }

    /** {@code PublicKeyPackage.encode()}; empty for REJECTED. */
    public byte[] publicKeyPackage() {
        return publicKeyPackage.clone();
    }

    /** The share sealed by {@code HsmToken.seal} (AAD: {@link ShareSealing#aad}); empty for REJECTED. */
    public byte[] sealedShare() {
        return sealedShare.clone();
    }

    /** The signed response, exactly as first returned. */
    public PartyResponse response() {
        return response;
    }

    public boolean fulfilled() {
        return response.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
    }

    @Override
    public String toString() {
        return "StoredResult[request " + requestId + ", " + response.getStatus() + ", session "
                + HexFormat.of().formatHex(sessionId) + "]";
    }
}
