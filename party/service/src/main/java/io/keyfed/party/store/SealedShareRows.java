package io.keyfed.party.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * What a sealing-key rotation needs from the party's database: the stored rows that carry a sealed
 * share, page by page, and a compare-and-set of one row's sealed blob. Only {@code sealed_share}
 * is ever changed, and only to the same share sealed under a newer key with the same associated data;
 * every other column stays as first written. Blocking (worker threads, never an event loop), like
 * {@link DbResultStore}.
 */
@ApplicationScoped
public class SealedShareRows {

    /** One stored row: its sealed share is empty for a REJECTED answer. Holds no secret. */
    public record Row(long requestId, int keyType, byte[] sessionId, byte[] sealedShare) {
        @Override
        public String toString() {
            return "SealedShareRow[request " + Long.toUnsignedString(requestId) + "]";
        }
    }

    private final PartyKeyRecordRepository records;

    @Inject
    public SealedShareRows(PartyKeyRecordRepository records) {
        this.records = records;
    }

    /**
     * Up to {@code limit} stored rows in request-id order (signed bigint order), after {@code after}
     * (exclusive), or from the start when {@code after} is empty. Rows of REJECTED answers come with an
     * empty sealed share (callers skip them); a page shorter than {@code limit} is the last one.
     */
    public List<Row> page(Optional<Long> after, int limit) {
        List<PartyKeyRecord> rows = await(() -> Panache.withSession(() -> (after.isPresent()
                ? records.find("requestId > ?1 order by requestId", after.get())
                : records.find("order by requestId")).page(0, limit).list()));
        return rows.stream().map(r -> new Row(r.requestId, r.keyType, r.sessionId,
                r.sealedShare == null ? new byte[0] : r.sealedShare)).toList();
    }

    /** The current sealed blob of a request (empty when there is no row or it has no share). */
    public Optional<byte[]> sealedShare(long requestId) {
        PartyKeyRecord row = await(() -> Panache.withSession(() -> records.findById(requestId)));
        return row == null || row.sealedShare == null || row.sealedShare.length == 0 ? Optional.empty()
                : Optional.of(row.sealedShare);
    }

    /**
     * In one transaction: sets the request's sealed share to {@code replacement} only if it is still
     * {@code expected}. Returns whether the row was changed (false: the blob changed meanwhile, or there
     * is no such row).
     */
    public boolean compareAndSetSealedShare(long requestId, byte[] expected, byte[] replacement) {
        Integer updated = await(() -> Panache.withTransaction(() -> records.update(
                "sealedShare = ?1 where requestId = ?2 and sealedShare = ?3", replacement, requestId, expected)));
        return updated != null && updated == 1;
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("database call failed: " + t, t);
        }
    }
}
