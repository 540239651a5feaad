package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A generated key; {@code data} is the serialised {@code Key} message. Its id is the request id. */
@Entity
@Table(name = "keys")
public class KeyEntity {
    @Id
    public Long id;
    @Column(name = "workspace_addr")
    public String workspaceAddr;
    @Column(name = "keyring_addr")
    public String keyringAddr;
    public byte[] data;
}
