package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A sign request; {@code data} is the serialised {@code SignRequest} message (the source of truth). */
@Entity
@Table(name = "sign_requests")
public class SignRequestEntity {
    @Id
    public Long id;
    @Column(name = "key_id")
    public long keyId;
    @Column(name = "workspace_addr")
    public String workspaceAddr;
    @Column(name = "keyring_addr")
    public String keyringAddr;
    public int status;
    @Column(name = "deadline_unix_ms")
    public long deadlineUnixMs;
    public byte[] data;
    /** W3C traceparent of the commit that created the request (its trace); empty when unknown. */
    public String traceparent = "";
}
