package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.keyfed.ledger.repository.KeyRequestEventRepository;
import io.smallrye.mutiny.Uni;

/**
 * Records a transition of a key request: an event row (its cursor is assigned here, while the chain-head
 * lock is held, so cursor order is commit order) and a NOTIFY, sent by the {@link CommitSequencer} once
 * per keyring and transaction, that PostgreSQL delivers after commit.
 */
@ApplicationScoped
public class KeyRequestEvents {
    /** LISTEN/NOTIFY channel; the payload is the keyring address (a hint only, streams re-read the table). */
    public static final String CHANNEL = "keyfed_key_requests";

    private final KeyRequestEventRepository events;
    private final CommitSequencer sequencer;

    public KeyRequestEvents(KeyRequestEventRepository events, CommitSequencer sequencer) {
        this.events = events;
        this.sequencer = sequencer;
    }

    public Uni<Void> emit(KeyRequest request) {
        KeyRequestEventEntity e = new KeyRequestEventEntity();
        e.requestId = request.getId();
        e.keyringAddr = request.getKeyringAddr();
        e.status = request.getStatusValue();
        e.data = request.toByteArray();
        sequencer.notifyOnCommit(request.getKeyringAddr());
        return events.persist(e).replaceWithVoid();
    }
}
