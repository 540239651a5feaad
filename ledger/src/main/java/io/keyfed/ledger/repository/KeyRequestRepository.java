package io.keyfed.ledger.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyRequestEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class KeyRequestRepository implements PanacheRepositoryBase<KeyRequestEntity, Long> {

    /** Requests with id > afterId, filtered by keyring, workspace and status (0 = any), by id. */
    public Uni<List<KeyRequestEntity>> page(String keyringAddr, String workspaceAddr, int status, long afterId,
            int limit) {
        StringBuilder q = new StringBuilder("id > :after");
        Parameters p = Parameters.with("after", afterId);
        if (!keyringAddr.isEmpty()) {
            q.append(" and keyringAddr = :keyring");
            p = p.and("keyring", keyringAddr);
        }
        if (!workspaceAddr.isEmpty()) {
            q.append(" and workspaceAddr = :workspace");
            p = p.and("workspace", workspaceAddr);
        }
        if (status != 0) {
            q.append(" and status = :status");
            p = p.and("status", status);
        }
        q.append(" order by id");
        return find(q.toString(), p).range(0, limit - 1).list();
    }

    /** The requests with these ids (those that exist), in any order. */
    public Uni<List<KeyRequestEntity>> byIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("id in ?1", ids);
    }

    /** Ids of open (PENDING or PARTIAL) requests whose deadline has passed. */
    public Uni<List<Long>> expiredOpenIds(long nowMs, int limit) {
        return find("select r.id from KeyRequestEntity r where r.status in (1, 2) and r.deadlineUnixMs < ?1"
                + " order by r.id", nowMs).project(Long.class).range(0, limit - 1).list();
    }
}
