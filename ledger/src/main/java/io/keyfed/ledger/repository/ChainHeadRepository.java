package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.keyfed.ledger.model.ChainHeadEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class ChainHeadRepository implements PanacheRepositoryBase<ChainHeadEntity, Integer> {

    /** select ... for update of the singleton head row: serialises all writers, across replicas. */
    public Uni<ChainHeadEntity> lockHead() {
        return findById(ChainHeadEntity.ID, LockModeType.PESSIMISTIC_WRITE);
    }
}
