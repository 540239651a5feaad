package io.keyfed.party.store;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One answered request in the party's database (table {@code party_key_record}, Flyway
 * {@code V1__party_store.sql}, {@code V2__share_state.sql}). Never deleted. Besides the resolution of a pending
 * share ({@link DbResultStore#resolve}), the only update is a sealing-key rotation re-sealing {@code sealed_share}
 * (same share, same AAD, newer key). Holds the sealed share, never the share.
 */
@Entity
@Table(name = "party_key_record")
public class PartyKeyRecord {
    /** The ledger's request id (unsigned 64-bit, stored in a signed bigint with the same bits). */
    @Id
    @Column(name = "request_id")
    public Long requestId;

    @Column(name = "key_type", nullable = false)
    public int keyType;

    @Column(name = "session_id", nullable = false)
    public byte[] sessionId;

    @Column(name = "participant_id", nullable = false)
    public int participantId;

    /** {@code PublicKeyPackage.encode()}; empty for a REJECTED answer. */
    @Column(name = "public_key_package", nullable = false)
    public byte[] publicKeyPackage;

    /** {@code HsmToken.seal(share, ShareSealing.aad(...))}; empty for a REJECTED answer. */
    @Column(name = "sealed_share", nullable = false)
    public byte[] sealedShare;

    /** The signed {@code PartyResponse} (protobuf), exactly as first returned; null while the share is pending. */
    @Column(name = "response")
    public byte[] response;

    /** {@code pending}, {@code active} or {@code retired} ({@link ShareState}); null without a share. */
    @Column(name = "share_state")
    public String shareState;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Override
    public String toString() {
        return "PartyKeyRecord[request " + (requestId == null ? "?" : Long.toUnsignedString(requestId)) + "]";
    }
}
