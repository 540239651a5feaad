package io.keyfed.ledger.stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.ledger.config.LedgerConfig;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;

/** WatchKeyRequests: the {@link RequestStream} of key requests (kind 1, table key_requests). */
@ApplicationScoped
public class KeyRequestWatchServer {
    private final RequestStream<KeyRequest, KeyRequestEvent> stream;

    public KeyRequestWatchServer(Pool pool, NotificationListener notifications, LedgerConfig config,
            LedgerMetrics metrics, Tracer tracer) {
        RequestStream.Kind<KeyRequest, KeyRequestEvent> kind = new RequestStream.Kind<>(KeyRequestEventEntity.KIND_KEY,
                "key_requests", "key request", KeyRequest.parser(), KeyRequestWatchServer::statusName,
                KeyRequest::getId, KeyRequest::getStatusValue, KeyRequestWatchServer::event);
        this.stream = new RequestStream<>(kind, pool, notifications, config.watchBatchSize(), metrics, tracer);
    }

    private static String statusName(int v) {
        KeyRequestStatus s = KeyRequestStatus.forNumber(v);
        return s == null || s == KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED ? null : s.name();
    }

    private static KeyRequestEvent event(long cursor, KeyRequest req, String traceparent) {
        return KeyRequestEvent.newBuilder().setCursor(cursor).setRequest(req).setTraceparent(traceparent).build();
    }

    public Multi<KeyRequestEvent> watch(WatchKeyRequestsRequest r) {
        return stream.watch(r.getKeyringAddr(), r.getStatusesValueList(), r.getCursor());
    }
}
