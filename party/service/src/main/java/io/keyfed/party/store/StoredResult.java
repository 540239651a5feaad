package io.keyfed.party.store;

import java.util.HexFormat;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;

/**
 * What the party keeps for one request: for a share, the public key package, the secret share sealed in the
 * token (never the share in clear) and the share's {@link ShareState}; and the signed response once it answered
 * (none while the share is {@link ShareState#PENDING}). A pending share the ledger recorded with another key keeps
 * that key ({@link #ledgerPublicKey()}), and is never attested.
 */
public final class StoredResult {
    private final long requestId;
    private final int keyType;
    private final byte[] sessionId;
    private final int participantId;
    private final byte[] publicKeyPackage;
    private final byte[] sealedShare;
    private final PartyResponse response;
    private final ShareState shareState;
    private final byte[] ledgerPublicKey;

    /**
     * An answered result. Its share state follows from it: none without a sealed share, {@code ACTIVE} for a
     * FULFILLED answer with one, {@code RETIRED} for a REJECTED answer with one.
     */
    public StoredResult(long requestId, int keyType, byte[] sessionId, int participantId, byte[] publicKeyPackage,
            byte[] sealedShare, PartyResponse response) {
        this(requestId, keyType, sessionId, participantId, publicKeyPackage, sealedShare, response,
                sealedShare == null || sealedShare.length == 0 ? null
                        : response.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED ? ShareState.ACTIVE
                                : ShareState.RETIRED,
                null);
    }

    /** A row as stored; {@code response} is null exactly when the share is pending. */
    public StoredResult(long requestId, int keyType, byte[] sessionId, int participantId, byte[] publicKeyPackage,
            byte[] sealedShare, PartyResponse response, ShareState shareState, byte[] ledgerPublicKey) {
        this.requestId = requestId;
        this.keyType = keyType;
        this.sessionId = sessionId.clone();
        this.participantId = participantId;
        this.publicKeyPackage = publicKeyPackage == null ? new byte[0] : publicKeyPackage.clone();
        this.sealedShare = sealedShare == null ? new byte[0] : sealedShare.clone();
        this.response = response;
        this.shareState = shareState;
        this.ledgerPublicKey = ledgerPublicKey == null ? null : ledgerPublicKey.clone();
        if ((response == null) != (shareState == ShareState.PENDING)) {
            throw new IllegalArgumentException("a stored result has a response unless its share is pending");
        }
    }

    /** A verified share stored before its CONFIRM is sent: pending, no answer yet. */
    public static StoredResult pending(long requestId, int keyType, byte[] sessionId, int participantId,
            byte[] publicKeyPackage, byte[] sealedShare) {
        return new StoredResult(requestId, keyType, sessionId, participantId, publicKeyPackage, sealedShare, null,
                ShareState.PENDING, null);
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

    /** {@code PublicKeyPackage.encode()}; empty without a share. */
    public byte[] publicKeyPackage() {
        return publicKeyPackage.clone();
    }

    /** The share sealed by {@code HsmToken.seal} (AAD: {@link ShareSealing#aad}); empty without a share. */
    public byte[] sealedShare() {
        return sealedShare.clone();
    }

    /** The signed response, exactly as first returned; null while the share is pending. */
    public PartyResponse response() {
        return response;
    }

    /** The share's state; null for a row without a share (a REJECTED answer given before any share existed). */
    public ShareState shareState() {
        return shareState;
    }

    public boolean hasShare() {
        return sealedShare.length > 0;
    }

    public boolean pending() {
        return shareState == ShareState.PENDING;
    }

    /**
     * The key the ledger recorded for the request when it differs from this party's, else null. Set only on a
     * pending share, which then stays pending.
     */
    public byte[] ledgerPublicKey() {
        return ledgerPublicKey == null ? null : ledgerPublicKey.clone();
    }

    public boolean fulfilled() {
        return response != null && response.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
    }

    @Override
    public String toString() {
        return "StoredResult[request " + requestId + ", " + (response == null ? "unanswered" : response.getStatus())
                + (shareState == null ? "" : ", share " + shareState.column()) + ", session "
                + HexFormat.of().formatHex(sessionId) + "]";
    }
}
