package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Index row: {@code owner} owns {@code workspaceAddr} (for the owner query). */
@Entity
@Table(name = "workspace_owners")
public class WorkspaceOwnerEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "workspace_addr")
    public String workspaceAddr;
    public String owner;
}
