package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.ParamsEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ParamsRepository implements PanacheRepositoryBase<ParamsEntity, Integer> {
}
