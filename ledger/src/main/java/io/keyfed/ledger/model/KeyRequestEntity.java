package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A key request; {@code data} is the serialised {@code KeyRequest} message (the source of truth). */
@Entity
@Table(name = "key_requests")
public class KeyRequestEntity {
    @Id
    public Long id;
    @Column(name = "workspace_addr")
    public String workspaceAddr;
    @Column(name = "keyring_addr")
    public String keyringAddr;
    public int status;
    @Column(name = "deadline_unix_ms")
    public long deadlineUnixMs;
    /** The fulfilled key, written at fulfilment (the answer rules count keys in the request's tally). */
    @Column(name = "candidate_public_key")
    public byte[] candidatePublicKey;
    public byte[] data;
    /** W3C traceparent of the commit that created the request (its trace); empty when unknown. */
    public String traceparent = "";
}
