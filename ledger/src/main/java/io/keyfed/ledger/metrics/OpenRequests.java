package io.keyfed.ledger.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * When each open key request was created (its log time), for the duration to its final status. Requests
 * created by this process are remembered in memory until they are final. A request created before a
 * restart, or by another replica, has its creation time read back from the log ({@code tx_log} at the
 * request's {@code created_height}, one primary-key read, asynchronous). The map is bounded: when full, the
 * entries older than the longest timeout (final by now; another replica finished them) are dropped, and
 * while it stays full new requests take the read-back path.
 */
final class OpenRequests {
    private static final Logger LOG = Logger.getLogger(OpenRequests.class);
    static final int MAX_ENTRIES = 100_000;
    private static final String CREATED_AT = "select time_unix_ms from tx_log where height = $1";

    private final Pool pool;
    private final LongSupplier maxTimeoutSeconds;
    private final Map<Long, Long> openedMs = new ConcurrentHashMap<>();

    OpenRequests(Pool pool, LongSupplier maxTimeoutSeconds) {
        this.pool = pool;
        this.maxTimeoutSeconds = maxTimeoutSeconds;
    }

    void opened(long id, long nowMs) {
        if (openedMs.size() >= MAX_ENTRIES) {
            long cutoff = nowMs - 1000L * maxTimeoutSeconds.getAsLong() - 60_000L;
            openedMs.values().removeIf(t -> t < cutoff);
            if (openedMs.size() >= MAX_ENTRIES) {
                return;
            }
        }
        openedMs.put(id, nowMs);
    }

    /** Hands {@code record} the creation time of request {@code id}, now or once it is read back. */
    void finished(long id, long createdHeight, LongConsumer record) {
        Long t = openedMs.remove(id);
        if (t != null) {
            record.accept(t);
            return;
        }
        pool.preparedQuery(CREATED_AT).execute(Tuple.of(createdHeight)).subscribe().with(rows -> {
            for (Row row : rows) {
                record.accept(row.getLong(0));
            }
        }, e -> LOG.debugf("creation time of key request %d not read: %s", id, e.toString()));
    }
}
