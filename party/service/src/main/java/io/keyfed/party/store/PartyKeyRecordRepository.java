package io.keyfed.party.store;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;

/**
 * Queries over {@link PartyKeyRecord} for the sealing-key rotation ({@link SealedShareRows}, which holds the
 * transactions). The Keygen path ({@link DbResultStore}) reads and writes the same table through the reactive
 * SQL client instead.
 */
@ApplicationScoped
public class PartyKeyRecordRepository implements PanacheRepositoryBase<PartyKeyRecord, Long> {
}
