package io.keyfed.party.store;

import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.session.PartyException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PoolOptions;

/**
 * The party's results in its own PostgreSQL database (table {@code party_key_record}, Flyway
 * {@code V1__party_store.sql} and {@code V2__share_state.sql}), through the reactive SQL client: in the service, the Quarkus-managed pool of
 * the default datasource (the one Hibernate Reactive uses for the sealing-key rotation's
 * {@link SealedShareRows}); outside Quarkus, a pool of its own ({@link #open}).
 *
 * <p>Each call is one prepared statement in autocommit, so a result is committed before {@link #putIfAbsent}
 * returns. {@link #putIfAbsent} is {@code INSERT ... ON CONFLICT (request_id) DO NOTHING}: a request's row is
 * never overwritten. The one later change of a row is {@link #resolve}: a pending share becomes active or retired
 * and gets its answer, once (a database trigger refuses any other state change, and any delete). When nothing was
 * inserted (an earlier row, or a concurrent insert that won the primary
 * key, which PostgreSQL waits for before deciding), the existing row is read back and returned.
 *
 * <p>Blocking: the methods wait for the database on the calling thread. They are called from the party's
 * worker threads and refuse to run on a Vert.x event loop (INTERNAL), which they would otherwise stall.
 * Errors name the request and the database's message, never a column's content.
 */
@ApplicationScoped
public class DbResultStore implements ResultStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DbResultStore.class);

    static final String INSERT = "INSERT INTO party_key_record (request_id, key_type, session_id, participant_id,"
            + " public_key_package, sealed_share, response, share_state, created_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT (request_id) DO NOTHING RETURNING request_id";
    static final String COLUMNS = "request_id, key_type, session_id, participant_id, public_key_package,"
            + " sealed_share, response, share_state, ledger_public_key";
    static final String SELECT = "SELECT " + COLUMNS + " FROM party_key_record WHERE request_id = $1";
    static final String SELECT_PENDING = "SELECT " + COLUMNS + " FROM party_key_record"
            + " WHERE share_state = 'pending' ORDER BY request_id";
    /** Resolves a pending share once: its new state and its signed answer. */
    static final String RESOLVE = "UPDATE party_key_record SET share_state = $2, response = $3, resolved_at = now()"
            + " WHERE request_id = $1 AND share_state = 'pending' RETURNING request_id";
    static final String MISMATCH = "UPDATE party_key_record SET ledger_public_key = $2, mismatch_at = now()"
            + " WHERE request_id = $1 AND share_state = 'pending'";

    static final String COUNT_SEALED = "SELECT count(*) FROM party_key_record WHERE octet_length(sealed_share) > 0";

    /** Insert attempts before giving up when the conflicting row is not there to read (rows are never deleted). */
    private static final int INSERT_ATTEMPTS = 3;

    private final Pool pool;
    private final boolean ownsPool;

    /** Over the Quarkus-managed pool of the default datasource (not closed by {@link #close()}). */
    @Inject
    public DbResultStore(Pool pool) {
        this(pool, false);
    }

    private DbResultStore(Pool pool, boolean ownsPool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.ownsPool = ownsPool;
    }

    /**
     * A store outside Quarkus, over a pool of its own on {@code vertx} (closed by {@link #close()}). The
     * database must already have the party's schema (Flyway {@code classpath:db/migration}). Prepared
     * statements are cached per connection, whatever {@code connect} says, so a call is one round trip.
     */
    public static DbResultStore open(io.vertx.core.Vertx vertx, PgConnectOptions connect, int maxSize) {
        registerContextPropagation();
        io.vertx.sqlclient.Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxSize))
                .connectingTo(new PgConnectOptions(connect).setCachePreparedStatements(true))
                .using(vertx)
                .build();
        return new DbResultStore(Pool.newInstance(pool), true);
    }

    /**
     * The blocking calls wait on Mutiny, whose context propagation looks the MicroProfile
     * ContextManagerProvider up on first use. Quarkus registers it at start; outside Quarkus the first
     * lookup registers it, and two threads doing that at once fail ("ContextManagerProvider already set").
     * So the first {@link #open} does it, under a lock.
     */
    private static synchronized void registerContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    @Override
    public Optional<StoredResult> find(long requestId) {
        String what = "read the stored result of request " + Long.toUnsignedString(requestId);
        Tuple key = Tuple.newInstance(io.vertx.sqlclient.Tuple.of(requestId));
        RowSet<Row> rows = await(what, pool.preparedQuery(SELECT).execute(key));
        return rows.size() == 0 ? Optional.empty() : Optional.of(toResult(requestId, rows.iterator().next()));
    }

    @Override
    public StoredResult putIfAbsent(StoredResult result) {
        long id = result.requestId();
        String what = "store the result of request " + Long.toUnsignedString(id);
        Tuple values = Tuple.newInstance(io.vertx.sqlclient.Tuple.tuple()
                .addLong(id)
                .addInteger(result.keyType())
                .addBuffer(Buffer.buffer(result.sessionId()))
                .addInteger(result.participantId())
                .addBuffer(Buffer.buffer(result.publicKeyPackage()))
                .addBuffer(Buffer.buffer(result.sealedShare()))
                .addBuffer(result.response() == null ? null : Buffer.buffer(result.response().toByteArray()))
                .addString(result.shareState() == null ? null : result.shareState().column()));
        for (int attempt = 1; attempt <= INSERT_ATTEMPTS; attempt++) {
            RowSet<Row> inserted = await(what, pool.preparedQuery(INSERT).execute(values));
            if (inserted.size() == 1) {
                return result;
            }
            // the request already has a row (earlier, or a concurrent insert that committed first): it wins
            Optional<StoredResult> earlier = find(id);
            if (earlier.isPresent()) {
                LOG.debugf("request %s: a result was already stored; keeping the first one", Long.toUnsignedString(id));
                return earlier.get();
            }
        }
        LOG.errorf("cannot %s: the insert conflicted, but no stored row could be read back", what);
        throw new PartyException(Status.Code.INTERNAL, "cannot " + what + ": the insert conflicted with a stored row"
                + " that could not be read back");
    }

    @Override
    public StoredResult resolve(long requestId, ShareState state, PartyResponse response) {
        if (state == ShareState.PENDING || response == null) {
            throw new IllegalArgumentException("a share is resolved to active or retired, with its answer");
        }
        String what = "mark the share of request " + Long.toUnsignedString(requestId) + " " + state.column();
        await(what, pool.preparedQuery(RESOLVE).execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.tuple()
                .addLong(requestId).addString(state.column()).addBuffer(Buffer.buffer(response.toByteArray())))));
        // resolved now, or earlier by another thread: the stored row is the one answered
        return find(requestId).orElseThrow(() -> new PartyException(Status.Code.INTERNAL, "cannot " + what
                + ": the request has no stored row"));
    }

    @Override
    public void recordLedgerMismatch(long requestId, byte[] ledgerPublicKey) {
        await("record the ledger's key for request " + Long.toUnsignedString(requestId), pool.preparedQuery(MISMATCH)
                .execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.tuple().addLong(requestId)
                        .addBuffer(Buffer.buffer(ledgerPublicKey)))));
    }

    @Override
    public java.util.List<StoredResult> pendingShares() {
        RowSet<Row> rows = await("list the pending shares", pool.query(SELECT_PENDING).execute());
        java.util.List<StoredResult> out = new java.util.ArrayList<>();
        for (Row row : rows) {
            out.add(toResult(row.getDelegate().getLong(0), row));
        }
        return out;
    }

    /** The number of stored sealed shares (pending, active or retired), read without blocking (for the metrics). */
    public Uni<Long> countSealedShares() {
        return pool.query(COUNT_SEALED).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    @Override
    public Optional<StoredSignAnswer> findSignAnswer(long signRequestId) {
        String what = "read the stored answer of sign request " + Long.toUnsignedString(signRequestId);
        RowSet<Row> rows = await(what, pool.preparedQuery(SignAnswerRows.SELECT)
                .execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.of(signRequestId))));
        return rows.size() == 0 ? Optional.empty()
                : Optional.of(SignAnswerRows.toAnswer(signRequestId, rows.iterator().next().getDelegate()));
    }

    @Override
    public StoredSignAnswer putSignAnswerIfAbsent(StoredSignAnswer answer) {
        long id = answer.signRequestId();
        String what = "store the answer of sign request " + Long.toUnsignedString(id);
        await(what, pool.preparedQuery(SignAnswerRows.INSERT).execute(Tuple.newInstance(SignAnswerRows.values(answer))));
        return findSignAnswer(id).orElseThrow(() -> new PartyException(Status.Code.INTERNAL, "cannot " + what
                + ": the row is not there after its insert"));
    }

    /**
     * The reactive pool under {@code store}, for the repositories of the party's other tables
     * ({@code pairing.PairSetupRepository}); the party's only store is this one.
     */
    public static Pool poolOf(ResultStore store) {
        if (store instanceof DbResultStore db) {
            return db.reactivePool(); // a method, not the field: in the service the store is a CDI client proxy
        }
        throw new IllegalArgumentException("the party's store must be a DbResultStore, not "
                + store.getClass().getSimpleName());
    }

    /** The pool this store runs on. */
    public Pool reactivePool() {
        return pool;
    }

    /** Closes the pool if this store opened it ({@link #open}); a Quarkus-managed pool is left to Quarkus. */
    @Override
    public void close() {
        if (ownsPool) {
            pool.closeAndAwait();
        }
    }

    private static StoredResult toResult(long requestId, Row row) {
        io.vertx.sqlclient.Row r = row.getDelegate();
        try {
            Buffer response = r.getBuffer(6);
            Buffer ledgerKey = r.getBuffer(8);
            return new StoredResult(r.getLong(0), r.getInteger(1), bytes(r, 2), r.getInteger(3), bytes(r, 4),
                    bytes(r, 5), response == null ? null : PartyResponse.parseFrom(response.getBytes()),
                    ShareState.ofColumn(r.getString(7)), ledgerKey == null ? null : ledgerKey.getBytes());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String rid = Long.toUnsignedString(requestId);
            LOG.errorf("request %s: the stored result is corrupt (%s)", rid,
                    e instanceof InvalidProtocolBufferException ? "bad response" : e.getClass().getSimpleName());
            throw new PartyException(Status.Code.INTERNAL, "the stored result of request " + rid + " is corrupt ("
                    + (e instanceof InvalidProtocolBufferException ? "bad response" : "unreadable row")
                    + "); it is kept as is and no second key generation is run for it");
        }
    }

    private static byte[] bytes(io.vertx.sqlclient.Row r, int column) {
        Buffer b = r.getBuffer(column);
        if (b == null) {
            throw new IllegalStateException("null column " + column);
        }
        return b.getBytes();
    }

    /** Waits for {@code work} on this (non event loop) thread. */
    private static <T> T await(String what, Uni<T> work) {
        if (Context.isOnEventLoopThread()) {
            LOG.errorf("cannot %s: called on a Vert.x event loop (%s)", what, Thread.currentThread().getName());
            throw new PartyException(Status.Code.INTERNAL, "cannot " + what + ": the result store blocks and must"
                    + " not be called on an event loop");
        }
        try {
            return work.await().indefinitely();
        } catch (RuntimeException e) {
            String reason = reason(e);
            LOG.errorf("cannot %s: %s", what, reason);
            throw new PartyException(Status.Code.INTERNAL, "cannot " + what + ": " + reason);
        }
    }

    /**
     * The database's own message and SQLSTATE (never PostgreSQL's DETAIL, which may quote column values), or
     * the root cause's class and message for anything else (connection refused, pool closed, ...).
     */
    private static String reason(Throwable t) {
        Throwable c = t;
        while (true) {
            if (c instanceof PgException pg) {
                return "PgException: " + pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ")";
            }
            if (c.getCause() == null || c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
