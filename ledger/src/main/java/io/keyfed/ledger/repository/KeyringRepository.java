package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyringEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

@ApplicationScoped
public class KeyringRepository implements PanacheRepositoryBase<KeyringEntity, String> {
}
