package io.keyfed.party.store;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.session.PartyException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The party's results in its own PostgreSQL database, through Hibernate Reactive (Panache). The
 * blocking {@link ResultStore} methods run the reactive work on a Vert.x context and wait for it: they
 * are called from the party's worker threads, never from an event loop. A result is committed before
 * {@link #putIfAbsent} returns, and a request's row is never overwritten: an existing row wins, and a
 * concurrent insert that loses on the primary key reads the winner back.
 */
@ApplicationScoped
public class DbResultStore implements ResultStore {
    private static final Logger LOG = Logger.getLogger(DbResultStore.class);

    private final PartyKeyRecordRepository records;

    @Inject
    public DbResultStore(PartyKeyRecordRepository records) {
        this.records = records;
    }

    @Override
    public Optional<StoredResult> find(long requestId) {
        PartyKeyRecord row = await("read the stored result of request " + Long.toUnsignedString(requestId),
                () -> Panache.withSession(() -> records.findById(requestId)));
        return Optional.ofNullable(row).map(DbResultStore::toResult);
    }

    @Override
    public StoredResult putIfAbsent(StoredResult result) {
        long id = result.requestId();
        String what = "store the result of request " + Long.toUnsignedString(id);
        PartyKeyRecord row;
        try {
            row = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> records.findById(id)
                    .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                            : records.persistAndFlush(toRow(result)))));
        } catch (Throwable t) {
            if (!constraintViolation(t)) {
                throw failure(what, t);
            }
            // a concurrent insert of the same request id won the primary key: keep and return it (if the
            // violation was anything else, there is no row and the failure is reported)
            LOG.infof("request %s: a result was stored concurrently; keeping the first one",
                    Long.toUnsignedString(id));
            return find(id).orElseThrow(() -> failure(what, t));
        }
        return toResult(row);
    }

    private static boolean constraintViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private static PartyKeyRecord toRow(StoredResult r) {
        PartyKeyRecord row = new PartyKeyRecord();
        row.requestId = r.requestId();
        row.keyType = r.keyType();
        row.sessionId = r.sessionId();
        row.participantId = r.participantId();
        row.publicKeyPackage = r.publicKeyPackage();
        row.sealedShare = r.sealedShare();
        row.response = r.response().toByteArray();
        row.createdAt = Instant.now();
        return row;
    }

    private static StoredResult toResult(PartyKeyRecord row) {
        try {
            return new StoredResult(row.requestId, row.keyType, row.sessionId, row.participantId, row.publicKeyPackage,
                    row.sealedShare, PartyResponse.parseFrom(row.response));
        } catch (InvalidProtocolBufferException e) {
            throw new PartyException(Status.Code.INTERNAL, "the stored result of request "
                    + Long.toUnsignedString(row.requestId) + " is corrupt (bad response); it is kept as is and no"
                    + " second key generation is run for it");
        }
    }

    private static <T> T await(String what, Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable t) {
            throw failure(what, t);
        }
    }

    private static PartyException failure(String what, Throwable t) {
        if (t instanceof PartyException pe) {
            return pe;
        }
        LOG.errorf("cannot %s: %s", what, t.toString());
        return new PartyException(Status.Code.INTERNAL, "cannot " + what + ": " + rootMessage(t));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
