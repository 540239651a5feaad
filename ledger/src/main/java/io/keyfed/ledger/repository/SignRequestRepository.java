package io.keyfed.ledger.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.SignRequestEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class SignRequestRepository implements PanacheRepositoryBase<SignRequestEntity, Long> {

    /** Requests with id > afterId, filtered by key (0 = any), workspace, keyring and status (0 = any), by id. */
    public Uni<List<SignRequestEntity>> page(long keyId, String workspaceAddr, String keyringAddr, int status,
            long afterId, int limit) {
        StringBuilder q = new StringBuilder("id > :after");
        Parameters p = Parameters.with("after", afterId);
        if (keyId != 0) {
            q.append(" and keyId = :key");
            p = p.and("key", keyId);
        }
        if (!workspaceAddr.isEmpty()) {
            q.append(" and workspaceAddr = :workspace");
            p = p.and("workspace", workspaceAddr);
        }
        if (!keyringAddr.isEmpty()) {
            q.append(" and keyringAddr = :keyring");
            p = p.and("keyring", keyringAddr);
        }
        if (status != 0) {
            q.append(" and status = :status");
            p = p.and("status", status);
        }
        q.append(" order by id");
        return find(q.toString(), p).range(0, limit - 1).list();
    }

    /** Ids of open (PENDING or PARTIAL) sign requests whose deadline has passed. */
    public Uni<List<Long>> expiredOpenIds(long nowMs, int limit) {
        return find("select r.id from SignRequestEntity r where r.status in (1, 2) and r.deadlineUnixMs < ?1"
                + " order by r.id", nowMs).project(Long.class).range(0, limit - 1).list();
    }
}
