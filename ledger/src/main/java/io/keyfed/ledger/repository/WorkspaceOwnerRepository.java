package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.WorkspaceOwnerEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WorkspaceOwnerRepository implements PanacheRepositoryBase<WorkspaceOwnerEntity, Long> {

    public Uni<Long> deleteOwner(String workspaceAddr, String owner) {
        return delete("workspaceAddr = ?1 and owner = ?2", workspaceAddr, owner);
    }
}
