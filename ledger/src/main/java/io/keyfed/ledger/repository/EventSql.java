package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Request events and their NOTIFY, in plain prepared SQL on a reactive-client connection. */
@ApplicationScoped
public class EventSql {
    private static final String INSERT = "insert into request_events (kind, request_id, keyring_addr, status, data)"
            + " values ($1, $2, $3, $4, $5)";
    private static final String NOTIFY = "select count(*) from (select pg_notify($1, p) from unnest($2::text[]) p) n";

    /** Inserts the event; its cursor comes from the table's sequence. */
    public Uni<Void> insert(SqlConnection c, KeyRequestEventEntity e) {
        return c.preparedQuery(INSERT).execute(Tuple.tuple().addShort(e.kind).addLong(e.requestId)
                .addString(e.keyringAddr).addInteger(e.status).addBuffer(Buffer.buffer(e.data))).replaceWithVoid();
    }

    /** One {@code NOTIFY channel, payload} per payload, delivered by PostgreSQL after commit. */
    public Uni<Void> notify(SqlConnection c, String channel, String[] payloads) {
        return c.preparedQuery(NOTIFY).execute(Tuple.tuple().addString(channel).addArrayOfString(payloads))
                .replaceWithVoid();
    }
}
