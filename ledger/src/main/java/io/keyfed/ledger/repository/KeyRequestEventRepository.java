package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Event rows are written here; the watch stream reads them through the plain reactive client. */
@ApplicationScoped
public class KeyRequestEventRepository implements PanacheRepositoryBase<KeyRequestEventEntity, Long> {
}
