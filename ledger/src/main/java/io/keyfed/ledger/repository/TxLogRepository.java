package io.keyfed.ledger.repository;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.TxLogEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TxLogRepository implements PanacheRepositoryBase<TxLogEntity, Long> {

    public Uni<TxLogEntity> findByHash(byte[] hash) {
        return find("hash", hash).firstResult();
    }

    public Uni<List<TxLogEntity>> fromHeight(long fromHeight, int limit) {
        return find("height >= ?1 order by height", fromHeight).range(0, limit - 1).list();
    }
}
