package io.keyfed.ledger.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class KeyRepository implements PanacheRepositoryBase<KeyEntity, Long> {

    public Uni<List<KeyEntity>> page(String workspaceAddr, long afterId, int limit) {
        if (workspaceAddr.isEmpty()) {
            return find("id > ?1 order by id", afterId).range(0, limit - 1).list();
        }
        return find("workspaceAddr = ?1 and id > ?2 order by id", workspaceAddr, afterId).range(0, limit - 1).list();
    }
}
