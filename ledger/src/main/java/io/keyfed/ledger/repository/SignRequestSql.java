package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyEntity;
import io.keyfed.ledger.model.SignRequestEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sign requests in plain prepared SQL on the reactive client: creation reads the key it is for and inserts
 * the request, the party-answer and deadline paths read a request and store it after the change. The entities
 * are plain values, not managed by any session.
 */
@ApplicationScoped
public class SignRequestSql {
    private static final String FIND = "select id, key_id, workspace_addr, keyring_addr, status, deadline_unix_ms,"
            + " data, traceparent from sign_requests where id = $1";
    private static final String READ_DATA = "select data from sign_requests where id = $1";
    private static final String STORE = "update sign_requests set status = $2, data = $3 where id = $1";
    private static final String INSERT = "insert into sign_requests (id, key_id, workspace_addr, keyring_addr, status,"
            + " deadline_unix_ms, data, traceparent) values ($1, $2, $3, $4, $5, $6, $7, $8)";
    private static final String KEY = "select workspace_addr, keyring_addr, data from keys where id = $1";

    /** The serialised request as committed, outside any transaction; null when there is none. */
    public Uni<byte[]> committedData(SqlClient client, long id) {
        return SqlRows.byKey(client, READ_DATA, id, SqlRows::data);
    }

    /** The request's row, or null. */
    public Uni<SignRequestEntity> find(SqlConnection c, long id) {
        return SqlRows.byKey(c, FIND, id, row -> {
            SignRequestEntity e = new SignRequestEntity();
            e.id = row.getLong("id");
            e.keyId = row.getLong("key_id");
            e.workspaceAddr = row.getString("workspace_addr");
            e.keyringAddr = row.getString("keyring_addr");
            e.status = row.getInteger("status");
            e.deadlineUnixMs = row.getLong("deadline_unix_ms");
            e.data = SqlRows.data(row);
            e.traceparent = row.getString("traceparent");
            return e;
        });
    }

    /** Writes status and data after a change. */
    public Uni<Void> store(SqlConnection c, SignRequestEntity e) {
        return c.preparedQuery(STORE).execute(Tuple.tuple().addLong(e.id).addInteger(e.status)
                .addBuffer(Buffer.buffer(e.data))).replaceWithVoid();
    }

    /** A new request. */
    public Uni<Void> insert(SqlConnection c, SignRequestEntity e) {
        return c.preparedQuery(INSERT).execute(Tuple.tuple().addLong(e.id).addLong(e.keyId).addString(e.workspaceAddr)
                .addString(e.keyringAddr).addInteger(e.status).addLong(e.deadlineUnixMs).addBuffer(Buffer.buffer(e.data))
                .addString(e.traceparent)).replaceWithVoid();
    }

    /** The key of {@code id} (the id of the request that made it), or null. */
    public Uni<KeyEntity> key(SqlConnection c, long id) {
        return SqlRows.byKey(c, KEY, id, row -> {
            KeyEntity k = new KeyEntity();
            k.id = id;
            k.workspaceAddr = row.getString("workspace_addr");
            k.keyringAddr = row.getString("keyring_addr");
            k.data = SqlRows.data(row);
            return k;
        });
    }
}
