package io.keyfed.ledger.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.WorkspaceEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<WorkspaceEntity, String> {

    /** Workspaces after {@code afterAddress}, optionally filtered by owner and creator, by address. */
    public Uni<List<WorkspaceEntity>> page(String owner, String creator, String afterAddress, int limit) {
        StringBuilder q = new StringBuilder("address > :after");
        Parameters p = Parameters.with("after", afterAddress);
        if (!owner.isEmpty()) {
            q.append(" and address in (select o.workspaceAddr from WorkspaceOwnerEntity o where o.owner = :owner)");
            p = p.and("owner", owner);
        }
        if (!creator.isEmpty()) {
            q.append(" and creator = :creator");
            p = p.and("creator", creator);
        }
        q.append(" order by address");
        return find(q.toString(), p).range(0, limit - 1).list();
    }
}
