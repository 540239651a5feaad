package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.keyfed.ledger.repository.EventSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Records a transition of a key or sign request: an event row (its cursor is assigned here, while the chain-head
 * lock is held, so cursor order is commit order) and a NOTIFY, sent by the {@link CommitSequencer} once
 * per keyring and transaction, that PostgreSQL delivers after commit.
 */
@ApplicationScoped
public class KeyRequestEvents {
    /** LISTEN/NOTIFY channel; the payload is the keyring address (a hint only, streams re-read the table). */
    public static final String CHANNEL = "keyfed_key_requests";

    private final CommitSequencer sequencer;
    private final EventSql sql;

    public KeyRequestEvents(CommitSequencer sequencer, EventSql sql) {
        this.sequencer = sequencer;
        this.sql = sql;
    }

    /** A transition of a key request, on a reactive-client connection ({@link CommitSequencer.SqlChange}). */
    public Uni<Void> emit(SqlConnection c, KeyRequest request) {
        return sql.insert(c, event(KeyRequestEventEntity.KIND_KEY, request.getId(), request.getKeyringAddr(),
                request.getStatusValue(), request.toByteArray()));
    }

    /**
     * A transition of a sign request, on a reactive-client connection: an event of kind
     * {@link KeyRequestEventEntity#KIND_SIGN}.
     */
    public Uni<Void> emit(SqlConnection c, SignRequest request) {
        return sql.insert(c, event(KeyRequestEventEntity.KIND_SIGN, request.getId(), request.getKeyringAddr(),
                request.getStatusValue(), request.toByteArray()));
    }

    /** The event row; asks the sequencer for the keyring's NOTIFY on commit. */
    private KeyRequestEventEntity event(short kind, long requestId, String keyringAddr, int status, byte[] data) {
        KeyRequestEventEntity e = new KeyRequestEventEntity();
        e.kind = kind;
        e.requestId = requestId;
        e.keyringAddr = keyringAddr;
        e.status = status;
        e.data = data;
        sequencer.notifyOnCommit(keyringAddr);
        return e;
    }
}
