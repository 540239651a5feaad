package io.keyfed.ledger.stream;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.ledger.config.LedgerConfig;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.service.Inputs;
import io.keyfed.ledger.service.LedgerException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * WatchKeyRequests. A stream with cursor 0 first replays every matching request that is not final
 * (its current state, with the cursor of its latest event), then delivers every matching event after
 * the replay's snapshot; with a cursor it delivers every matching event after it. Events are read from
 * the database, in cursor order (= commit order), on every notification and after every reconnect of
 * the listener, so a missed notification delays nothing beyond the next one and loses nothing.
 *
 * <p>Streams of one keyring that watch the same statuses from the same cursor (the connectors of a
 * keyring, once they have caught up) share one read: a read is joined only while it is in flight and
 * only if no notification has arrived since it started, so the shared rows are exactly what a read of
 * its own would have returned. One query per notification instead of one per stream, and every such
 * stream gets the event at the same moment: with separate reads, the last of three connectors got it
 * 10 to 50 ms after the first on a loaded 2-core machine, and a key's DKG cannot start before its last
 * party's Keygen.
 */
@ApplicationScoped
public class KeyRequestWatchServer {
    private static final Logger LOG = Logger.getLogger(KeyRequestWatchServer.class);
    private static final Set<KeyRequestStatus> DEFAULT = EnumSet.of(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING,
            KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL);

    private static final String REPLAY = "with m as (select coalesce(max(cursor), 0) as mx from request_events)"
            + " select m.mx, r.data, r.traceparent,"
            + " (select max(e.cursor) from request_events e where e.kind = 1 and e.request_id = r.id) as c"
            + " from m left join key_requests r on r.keyring_addr = $1 and r.status = any($2) order by r.id";
    private static final String HEAD = "select coalesce(max(cursor), 0) from request_events";
    private static final String EVENTS = "select e.cursor, e.data, r.traceparent from request_events e"
            + " join key_requests r on r.id = e.request_id"
            + " where e.kind = 1 and e.keyring_addr = $1 and e.cursor > $2 and e.status = any($3) order by e.cursor limit $4";

    private final Pool pool;
    private final NotificationListener notifications;
    private final int batch;
    private final LedgerMetrics metrics;
    private final Tracer tracer;
    /** Event reads in flight, by what they read and the notification generation they started at. */
    private final Map<ReadKey, CompletableFuture<RowSet<Row>>> reads = new ConcurrentHashMap<>();

    /** What an event read returns depends only on these, given the commits it can see. */
    private record ReadKey(String keyring, long cursor, List<Integer> statuses, int limit, long generation) {
    }

    public KeyRequestWatchServer(Pool pool, NotificationListener notifications, LedgerConfig config,
            LedgerMetrics metrics, Tracer tracer) {
        this.pool = pool;
        this.tracer = tracer;
        this.notifications = notifications;
        this.metrics = metrics;
        this.batch = Math.max(1, config.watchBatchSize());
    }

    /**
     * The events after {@code cursor}: joins an identical read in flight that started at the current
     * notification generation (it sees every commit notified so far), or starts one.
     */
    private CompletableFuture<RowSet<Row>> sharedRead(String keyring, long cursor, Integer[] statuses) {
        ReadKey key = new ReadKey(keyring, cursor, List.of(statuses), batch, notifications.generation());
        CompletableFuture<RowSet<Row>> mine = new CompletableFuture<>();
        CompletableFuture<RowSet<Row>> running = reads.putIfAbsent(key, mine);
        if (running != null) {
            return running;
        }
        pool.preparedQuery(EVENTS).execute(Tuple.of(keyring, cursor, statuses, batch)).subscribe().with(rows -> {
            reads.remove(key, mine);
            mine.complete(rows);
        }, t -> {
            reads.remove(key, mine);
            mine.completeExceptionally(t);
        });
        return mine;
    }

    public Multi<KeyRequestEvent> watch(WatchKeyRequestsRequest r) {
        if (r.getKeyringAddr().isEmpty()) {
            throw LedgerException.invalid("keyring_addr is required");
        }
        Inputs.address(r.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        Inputs.listSize(r.getStatusesCount(), 4, "statuses");
        Set<KeyRequestStatus> statuses = EnumSet.noneOf(KeyRequestStatus.class);
        for (int v : r.getStatusesValueList()) {
            KeyRequestStatus s = KeyRequestStatus.forNumber(v);
            if (s == null || s == KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED) {
                throw LedgerException.invalid("statuses: " + v + " is not a key request status to watch");
            }
            statuses.add(s);
        }
        if (statuses.isEmpty()) {
            statuses = DEFAULT;
        }
        Set<KeyRequestStatus> chosen = statuses;
        long cursor = r.getCursor();
        if (cursor == 0) {
            return stream(r.getKeyringAddr(), chosen, 0);
        }
        return pool.preparedQuery(HEAD).execute().map(rows -> rows.iterator().next().getLong(0))
                .onItem().transformToMulti(head -> {
                    if (Long.compareUnsigned(cursor, head) > 0) {
                        throw LedgerException.outOfRange("cursor " + Long.toUnsignedString(cursor)
                                + " is past the latest event cursor " + head + "; resume from a cursor this ledger sent");
                    }
                    return stream(r.getKeyringAddr(), chosen, cursor);
                });
    }

    private Multi<KeyRequestEvent> stream(String keyring, Set<KeyRequestStatus> statuses, long cursor) {
        return Multi.createFrom().emitter(em -> new Stream(em, keyring, statuses, cursor).start(),
                BackPressureStrategy.BUFFER);
    }

    /**
     * An event for a watcher, in the request's trace: a span for the delivery (a child of the commit that
     * created the request), whose context the event carries to the watcher.
     */
    private KeyRequestEvent event(long cursor, KeyRequest req, String traceparent) {
        KeyRequestEvent.Builder b = KeyRequestEvent.newBuilder().setCursor(cursor).setRequest(req);
        if (traceparent == null || traceparent.isEmpty()) {
            return b.build();
        }
        Span span = TraceContext.start(tracer, "keyfed.ledger.watch-event", SpanKind.PRODUCER,
                TraceContext.parent(traceparent), req.getId());
        span.setAttribute("keyfed.cursor", cursor);
        span.setAttribute("keyfed.status", req.getStatus().name());
        span.end();
        String mine = TraceContext.traceparent(span);
        return b.setTraceparent(mine.isEmpty() ? traceparent : mine).build();
    }

    /** One subscriber's stream: a cursor and a single reader at a time. */
    private final class Stream {
        private final MultiEmitter<? super KeyRequestEvent> em;
        private final String keyring;
        private final Integer[] statuses;
        private final Integer[] replayStatuses;
        private final Consumer<String> listener = this::onNotification;
        private long cursor;
        private boolean reading;
        private boolean again;
        private boolean replaying;

        Stream(MultiEmitter<? super KeyRequestEvent> em, String keyring, Set<KeyRequestStatus> statuses, long cursor) {
            this.em = em;
            this.keyring = keyring;
            this.statuses = statuses.stream().map(KeyRequestStatus::getNumber).toArray(Integer[]::new);
            this.replayStatuses = statuses.stream().filter(DEFAULT::contains).map(KeyRequestStatus::getNumber)
                    .toArray(Integer[]::new);
            this.cursor = cursor;
            this.replaying = cursor == 0;
        }

        void start() {
            metrics.watchOpened();
            em.onTermination(() -> {
                notifications.unregister(listener);
                metrics.watchClosed();
            });
            notifications.register(listener);
            if (replaying) {
                synchronized (this) {
                    reading = true;
                }
                pool.preparedQuery(REPLAY).execute(Tuple.of(keyring, replayStatuses)).subscribe().with(this::onReplay,
                        this::fail);
            } else {
                read();
            }
        }

        private void onNotification(String payload) {
            if (payload == null || payload.equals(keyring)) {
                read();
            }
        }

        private void onReplay(RowSet<Row> rows) {
            long max = 0;
            for (Row row : rows) {
                max = row.getLong("mx");
                byte[] data = row.getBuffer("data") == null ? null : row.getBuffer("data").getBytes();
                if (data != null && !em.isCancelled()) {
                    KeyRequest req = Protos.parse(KeyRequest.parser(), data);
                    Long c = row.getLong("c");
                    em.emit(event(c == null ? 0 : c, req, row.getString("traceparent")));
                }
            }
            synchronized (this) {
                cursor = max;
                reading = false;
                replaying = false;
            }
            read();
        }

        private void read() {
            synchronized (this) {
                if (reading) {
                    again = true;
                    return;
                }
                if (em.isCancelled()) {
                    return;
                }
                reading = true;
                again = false;
            }
            sharedRead(keyring, cursor, statuses).whenComplete((rows, t) -> {
                if (t != null) {
                    fail(t);
                } else {
                    onEvents(rows);
                }
            });
        }

        private void onEvents(RowSet<Row> rows) {
            int n = 0;
            long last = cursor;
            for (Row row : rows) {
                n++;
                last = row.getLong("cursor");
                if (!em.isCancelled()) {
                    KeyRequest req = Protos.parse(KeyRequest.parser(), row.getBuffer("data").getBytes());
                    em.emit(event(last, req, row.getString("traceparent")));
                }
            }
            boolean more;
            synchronized (this) {
                cursor = last;
                reading = false;
                more = again || n >= batch;
            }
            if (more) {
                read();
            }
        }

        private void fail(Throwable t) {
            LOG.warnf("watch stream for %s failed: %s", keyring, t.getMessage());
            synchronized (this) {
                reading = false;
            }
            em.fail(new IllegalStateException("watch stream failed; resume from the last cursor"));
        }
    }
}
