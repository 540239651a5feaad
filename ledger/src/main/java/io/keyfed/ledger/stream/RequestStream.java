package io.keyfed.ledger.stream;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import org.jboss.logging.Logger;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.trace.TraceContext;
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
 * The watch-stream runtime shared by every kind of request (key requests, sign requests): one event table
 * ({@code request_events}) with a kind column, one cursor sequence, one notification channel. A {@link Kind}
 * says what differs: the kind number, the request table, the parser and the event message.
 *
 * <p>A stream with cursor 0 first replays every matching request that is not final (its current state, with
 * the cursor of its latest event), then delivers every matching event after the replay's snapshot; with a
 * cursor it delivers every matching event after it. Events are read from the database, in cursor order
 * (= commit order), on every notification and after every reconnect of the listener, so a missed
 * notification delays nothing beyond the next one and loses nothing.
 *
 * <p>Streams of one keyring that watch the same statuses from the same cursor (the connectors of a keyring,
 * once they have caught up) share one read: a read is joined only while it is in flight and only if no
 * notification has arrived since it started, so the shared rows are exactly what a read of its own would
 * have returned. One query per notification instead of one per stream, and every such stream gets the
 * event at the same moment: with separate reads, the last of three connectors got it 10 to 50 ms after the
 * first on a loaded 2-core machine, and a key's DKG cannot start before its last party's Keygen.
 *
 * @param <R> the request message
 * @param <E> the event message delivered to watchers
 */
public final class RequestStream<R extends Message, E> {
    private static final Logger LOG = Logger.getLogger(RequestStream.class);
    /** PENDING and PARTIAL, the same numbers for every kind: the statuses of a request that is not final. */
    private static final List<Integer> OPEN = List.of(1, 2);
    private static final String HEAD = "select coalesce(max(cursor), 0) from request_events";

    /**
     * What one kind of request brings to the runtime.
     *
     * @param kind the {@code request_events.kind} value
     * @param table the table holding the requests' current state ({@code id}, {@code keyring_addr},
     *        {@code status}, {@code data}, {@code traceparent})
     * @param noun how error messages name a request of this kind ("key request")
     * @param statusName the name of a status number that may be watched, or null for one that may not
     * @param id a request's id
     * @param status a request's status number
     * @param event the event for a request at a cursor, with the trace context to carry (may be empty)
     */
    public record Kind<R, E>(short kind, String table, String noun, Parser<R> parser, IntFunction<String> statusName,
            ToLongFunction<R> id, ToIntFunction<R> status, EventFactory<R, E> event) {
    }

    /** Builds the event message of a kind. */
    @FunctionalInterface
    public interface EventFactory<R, E> {
        E event(long cursor, R request, String traceparent);
    }

    /** What an event read returns depends only on these, given the commits it can see. */
    private record ReadKey(String keyring, long cursor, List<Integer> statuses, int limit, long generation) {
    }

    private final Kind<R, E> kind;
    private final String replay;
    private final String events;
    private final Pool pool;
    private final NotificationListener notifications;
    private final int batch;
    private final LedgerMetrics metrics;
    private final Tracer tracer;
    /** Event reads in flight, by what they read and the notification generation they started at. */
    private final Map<ReadKey, CompletableFuture<RowSet<Row>>> reads = new ConcurrentHashMap<>();

    public RequestStream(Kind<R, E> kind, Pool pool, NotificationListener notifications, int batch,
            LedgerMetrics metrics, Tracer tracer) {
        this.kind = kind;
        this.pool = pool;
        this.notifications = notifications;
        this.batch = Math.max(1, batch);
        this.metrics = metrics;
        this.tracer = tracer;
        this.replay = "with m as (select coalesce(max(cursor), 0) as mx from request_events)"
                + " select m.mx, r.data, r.traceparent,"
                + " (select max(e.cursor) from request_events e where e.kind = " + kind.kind()
                + " and e.request_id = r.id) as c"
                + " from m left join " + kind.table() + " r on r.keyring_addr = $1 and r.status = any($2) order by r.id";
        this.events = "select e.cursor, e.data, r.traceparent from request_events e"
                + " join " + kind.table() + " r on r.id = e.request_id"
                + " where e.kind = " + kind.kind() + " and e.keyring_addr = $1 and e.cursor > $2"
                + " and e.status = any($3) order by e.cursor limit $4";
    }

    /**
     * A stream of the requests of {@code keyring} in the given statuses (empty: PENDING and PARTIAL) after
     * {@code cursor}; every argument is checked first, with a message naming the one refused.
     */
    public Multi<E> watch(String keyring, List<Integer> statusValues, long cursor) {
        if (keyring.isEmpty()) {
            throw LedgerException.invalid("keyring_addr is required");
        }
        Inputs.address(keyring, Addresses.KEYRING_PREFIX, "keyring_addr");
        Inputs.listSize(statusValues.size(), 4, "statuses");
        Integer[] statuses = statusValues.stream().distinct().sorted().map(v -> {
            if (kind.statusName().apply(v) == null) {
                throw LedgerException.invalid("statuses: " + v + " is not a " + kind.noun() + " status to watch");
            }
            return v;
        }).toArray(Integer[]::new);
        Integer[] chosen = statuses.length == 0 ? OPEN.toArray(Integer[]::new) : statuses;
        if (cursor == 0) {
            return stream(keyring, chosen, 0);
        }
        return pool.preparedQuery(HEAD).execute().map(rows -> rows.iterator().next().getLong(0))
                .onItem().transformToMulti(head -> {
                    if (Long.compareUnsigned(cursor, head) > 0) {
                        throw LedgerException.outOfRange("cursor " + Long.toUnsignedString(cursor)
                                + " is past the latest event cursor " + head + "; resume from a cursor this ledger sent");
                    }
                    return stream(keyring, chosen, cursor);
                });
    }

    private Multi<E> stream(String keyring, Integer[] statuses, long cursor) {
        return Multi.createFrom().emitter(em -> new Subscription(em, keyring, statuses, cursor).start(),
                BackPressureStrategy.BUFFER);
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
        pool.preparedQuery(events).execute(Tuple.of(keyring, cursor, statuses, batch)).subscribe().with(rows -> {
            reads.remove(key, mine);
            mine.complete(rows);
        }, t -> {
            reads.remove(key, mine);
            mine.completeExceptionally(t);
        });
        return mine;
    }

    /**
     * An event for a watcher, in the request's trace: a span for the delivery (a child of the commit that
     * created the request), whose context the event carries to the watcher.
     */
    private E event(long cursor, byte[] data, String traceparent) {
        R req = Protos.parse(kind.parser(), data);
        if (traceparent == null || traceparent.isEmpty()) {
            return kind.event().event(cursor, req, "");
        }
        long id = kind.id().applyAsLong(req);
        Span span = TraceContext.start(tracer, "keyfed.ledger.watch-event", SpanKind.PRODUCER,
                TraceContext.parent(traceparent), id);
        span.setAttribute("keyfed.cursor", cursor);
        span.setAttribute("keyfed.status", String.valueOf(kind.statusName().apply(kind.status().applyAsInt(req))));
        span.end();
        String mine = TraceContext.traceparent(span);
        return kind.event().event(cursor, req, mine.isEmpty() ? traceparent : mine);
    }

    /** One subscriber's stream: a cursor and a single reader at a time. */
    private final class Subscription {
        private final MultiEmitter<? super E> em;
        private final String keyring;
        private final Integer[] statuses;
        private final Integer[] replayStatuses;
        private final Consumer<String> listener = this::onNotification;
        private long cursor;
        private boolean reading;
        private boolean again;
        private boolean replaying;

        Subscription(MultiEmitter<? super E> em, String keyring, Integer[] statuses, long cursor) {
            this.em = em;
            this.keyring = keyring;
            this.statuses = statuses;
            this.replayStatuses = Arrays.stream(statuses).filter(OPEN::contains).toArray(Integer[]::new);
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
                pool.preparedQuery(replay).execute(Tuple.of(keyring, replayStatuses)).subscribe().with(this::onReplay,
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
                    Long c = row.getLong("c");
                    em.emit(event(c == null ? 0 : c, data, row.getString("traceparent")));
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
                    em.emit(event(last, row.getBuffer("data").getBytes(), row.getString("traceparent")));
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
            LOG.warnf("%s watch stream for %s failed: %s", kind.noun(), keyring, t.getMessage());
            synchronized (this) {
                reading = false;
            }
            em.fail(new IllegalStateException("watch stream failed; resume from the last cursor"));
        }
    }
}
