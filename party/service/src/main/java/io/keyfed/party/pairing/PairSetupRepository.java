package io.keyfed.party.pairing;

import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.party.session.PartyException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * The {@code party_pair_setup} table (schema V4): one sealed setup per peer. Each call is one prepared statement
 * in autocommit on the party's reactive pool (the result store's), waited for on the calling thread: blocking, so
 * called from the party's worker threads only (on a Vert.x event loop it refuses, INTERNAL). Errors name the
 * peer and the database's message, never a column's content.
 */
final class PairSetupRepository {
    private static final Logger LOG = Logger.getLogger(PairSetupRepository.class);

    static final String SELECT = "SELECT setup_id, sealed FROM party_pair_setup WHERE peer_address = $1";
    static final String UPSERT = "INSERT INTO party_pair_setup (peer_address, setup_id, sealed, created_at)"
            + " VALUES ($1, $2, $3, now()) ON CONFLICT (peer_address) DO UPDATE SET setup_id = excluded.setup_id,"
            + " sealed = excluded.sealed, created_at = excluded.created_at";
    static final String DELETE = "DELETE FROM party_pair_setup WHERE peer_address = $1";

    /** A stored row: the setup's id and its sealed bytes (no toString: nothing here is for logs). */
    static final class Stored {
        final byte[] setupId;
        final byte[] sealed;

        Stored(byte[] setupId, byte[] sealed) {
            this.setupId = setupId;
            this.sealed = sealed;
        }
    }

    private final Pool pool;

    PairSetupRepository(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    Optional<Stored> find(String peer) {
        RowSet<Row> rows = await("read the pairwise setup with " + peer,
                pool.preparedQuery(SELECT).execute(Tuple.of(peer)));
        if (rows.size() == 0) {
            return Optional.empty();
        }
        io.vertx.sqlclient.Row r = rows.iterator().next().getDelegate();
        return Optional.of(new Stored(r.getBuffer(0).getBytes(), r.getBuffer(1).getBytes()));
    }

    /** Stores {@code sealed} as the setup with {@code peer}, replacing any earlier one. */
    void replace(String peer, byte[] setupId, byte[] sealed) {
        await("store the pairwise setup with " + peer, pool.preparedQuery(UPSERT).execute(
                Tuple.of(peer, Buffer.buffer(setupId), Buffer.buffer(sealed))));
    }

    /** Deletes the setup with {@code peer}, if any; whether there was one. */
    boolean delete(String peer) {
        return await("delete the pairwise setup with " + peer, pool.preparedQuery(DELETE).execute(Tuple.of(peer)))
                .rowCount() > 0;
    }

    private static <T> T await(String what, Uni<T> work) {
        if (Context.isOnEventLoopThread()) {
            LOG.errorf("cannot %s: called on a Vert.x event loop (%s)", what, Thread.currentThread().getName());
            throw new PartyException(Status.Code.INTERNAL, "cannot " + what + ": the store blocks and must not be"
                    + " called on an event loop");
        }
        try {
            return work.await().indefinitely();
        } catch (RuntimeException e) {
            Throwable c = e;
            while (!(c instanceof PgException) && c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String reason = c instanceof PgException pg ? "PgException: " + pg.getErrorMessage() + " (SQLSTATE "
                    + pg.getSqlState() + ")" : c.getClass().getSimpleName();
            LOG.errorf("cannot %s: %s", what, reason);
            throw new PartyException(Status.Code.INTERNAL, "cannot " + what + ": " + reason);
        }
    }
}
