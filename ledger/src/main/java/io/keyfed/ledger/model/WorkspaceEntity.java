package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A workspace; {@code data} is the serialised {@code Workspace} message. */
@Entity
@Table(name = "workspaces")
public class WorkspaceEntity {
    @Id
    public String address;
    public String creator;
    @Column(name = "created_height")
    public long createdHeight;
    public byte[] data;
}
