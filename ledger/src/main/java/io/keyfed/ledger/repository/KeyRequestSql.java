package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.KeyEntity;
import io.keyfed.ledger.model.KeyRequestEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Key requests and the keys they produce, in plain prepared SQL on the reactive client: the party-answer
 * and deadline paths read a request, store it after the change and insert its key. The entities are plain
 * values, not managed by any session.
 */
@ApplicationScoped
public class KeyRequestSql {
    private static final String FIND = "select id, workspace_addr, keyring_addr, status, deadline_unix_ms,"
            + " candidate_public_key, data, traceparent from key_requests where id = $1";
    private static final String READ_DATA = "select data from key_requests where id = $1";
    private static final String STORE = "update key_requests set status = $2, data = $3,"
            + " candidate_public_key = coalesce($4, candidate_public_key) where id = $1";
    private static final String INSERT = "insert into key_requests (id, workspace_addr, keyring_addr, status,"
            + " deadline_unix_ms, data, traceparent) values ($1, $2, $3, $4, $5, $6, $7)";
    private static final String INSERT_KEY = "insert into keys (id, workspace_addr, keyring_addr, data)"
            + " values ($1, $2, $3, $4)";

    /** The serialised request as committed, outside any transaction; null when there is none. */
    public Uni<byte[]> committedData(SqlClient client, long id) {
        return SqlRows.byKey(client, READ_DATA, id, SqlRows::data);
    }

    /** The request's row, or null. */
    public Uni<KeyRequestEntity> find(SqlConnection c, long id) {
        return SqlRows.byKey(c, FIND, id, row -> {
            KeyRequestEntity e = new KeyRequestEntity();
            e.id = row.getLong("id");
            e.workspaceAddr = row.getString("workspace_addr");
            e.keyringAddr = row.getString("keyring_addr");
            e.status = row.getInteger("status");
            e.deadlineUnixMs = row.getLong("deadline_unix_ms");
            Buffer candidate = row.getBuffer("candidate_public_key");
            e.candidatePublicKey = candidate == null ? null : candidate.getBytes();
            e.data = SqlRows.data(row);
            e.traceparent = row.getString("traceparent");
            return e;
        });
    }

    /** Writes status and data, and the candidate key when set (a null one leaves the column as it is). */
    public Uni<Void> store(SqlConnection c, KeyRequestEntity e) {
        return c.preparedQuery(STORE).execute(Tuple.tuple().addLong(e.id).addInteger(e.status)
                .addBuffer(Buffer.buffer(e.data))
                .addValue(e.candidatePublicKey == null ? null
                        : io.vertx.core.buffer.Buffer.buffer(e.candidatePublicKey)))
                .replaceWithVoid();
    }

    /** A new request (no candidate key yet). */
    public Uni<Void> insert(SqlConnection c, KeyRequestEntity e) {
        return c.preparedQuery(INSERT).execute(Tuple.tuple().addLong(e.id).addString(e.workspaceAddr)
                .addString(e.keyringAddr).addInteger(e.status).addLong(e.deadlineUnixMs).addBuffer(Buffer.buffer(e.data))
                .addString(e.traceparent)).replaceWithVoid();
    }

    public Uni<Void> insertKey(SqlConnection c, KeyEntity k) {
        return c.preparedQuery(INSERT_KEY).execute(Tuple.tuple().addLong(k.id).addString(k.workspaceAddr)
                .addString(k.keyringAddr).addBuffer(Buffer.buffer(k.data))).replaceWithVoid();
    }
}
