package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The hash chain's rows in plain prepared SQL, for changes applied on a reactive-client connection
 * rather than a Hibernate session: the chain-head lock, the head's new state and the tx-log rows.
 * The entities returned here are plain values, not managed by any session.
 */
@ApplicationScoped
public class ChainSql {
    private static final String LOCK_HEAD = "select height, hash, next_request_id, next_sign_request_id"
            + " from chain_head where id = $1 for update";
    private static final String STORE_HEAD = "update chain_head set height = $2, hash = $3, next_request_id = $4,"
            + " next_sign_request_id = $5 where id = $1";
    private static final String APPEND = "insert into tx_log (height, hash, prev_hash, kind, tx_bytes, outcome,"
            + " sender, time_unix_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)";

    /** {@code select ... for update} of the singleton head row: serialises all writers, across replicas. */
    public Uni<ChainHeadEntity> lockHead(SqlConnection c) {
        return c.preparedQuery(LOCK_HEAD).execute(Tuple.of(ChainHeadEntity.ID)).map(rows -> {
            ChainHeadEntity h = null;
            for (Row row : rows) {
                h = new ChainHeadEntity();
                h.id = ChainHeadEntity.ID;
                h.height = row.getLong("height");
                h.hash = row.getBuffer("hash").getBytes();
                h.nextRequestId = row.getLong("next_request_id");
                h.nextSignRequestId = row.getLong("next_sign_request_id");
            }
            if (h == null) {
                throw new IllegalStateException("the chain_head row is missing");
            }
            return h;
        });
    }

    /** Writes the head's height, hash and next ids back to its (locked) row. */
    public Uni<Void> storeHead(SqlConnection c, ChainHeadEntity h) {
        return c.preparedQuery(STORE_HEAD).execute(Tuple.tuple().addInteger(ChainHeadEntity.ID).addLong(h.height)
                .addBuffer(Buffer.buffer(h.hash)).addLong(h.nextRequestId).addLong(h.nextSignRequestId))
                .replaceWithVoid();
    }

    public Uni<Void> append(SqlConnection c, TxLogEntity e) {
        return c.preparedQuery(APPEND).execute(Tuple.tuple().addLong(e.height).addBuffer(Buffer.buffer(e.hash))
                .addBuffer(Buffer.buffer(e.prevHash)).addString(e.kind).addBuffer(Buffer.buffer(e.txBytes))
                .addString(e.outcome).addString(e.sender).addLong(e.timeUnixMs)).replaceWithVoid();
    }
}
