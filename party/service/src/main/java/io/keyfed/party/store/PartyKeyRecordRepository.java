package io.keyfed.party.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/** Queries over {@link PartyKeyRecord}; transactions are {@link DbResultStore}'s. */
@ApplicationScoped
public class PartyKeyRecordRepository implements PanacheRepositoryBase<PartyKeyRecord, Long> {
}
