package io.keyfed.ledger.stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import io.keyfed.ledger.config.LedgerConfig;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.KeyRequestEventEntity;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;

/** WatchSignRequests: the {@link RequestStream} of sign requests (kind 2, table sign_requests). */
@ApplicationScoped
public class SignRequestWatchServer {
    private final RequestStream<SignRequest, SignRequestEvent> stream;

    public SignRequestWatchServer(Pool pool, NotificationListener notifications, LedgerConfig config,
            LedgerMetrics metrics, Tracer tracer) {
        RequestStream.Kind<SignRequest, SignRequestEvent> kind = new RequestStream.Kind<>(
                KeyRequestEventEntity.KIND_SIGN, "sign_requests", "sign request", SignRequest.parser(),
                SignRequestWatchServer::statusName, SignRequest::getId, SignRequest::getStatusValue,
                SignRequestWatchServer::event);
        this.stream = new RequestStream<>(kind, pool, notifications, config.watchBatchSize(), metrics, tracer);
    }

    private static String statusName(int v) {
        SignRequestStatus s = SignRequestStatus.forNumber(v);
        return s == null || s == SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED ? null : s.name();
    }

    private static SignRequestEvent event(long cursor, SignRequest req, String traceparent) {
        return SignRequestEvent.newBuilder().setCursor(cursor).setRequest(req).setTraceparent(traceparent).build();
    }

    public Multi<SignRequestEvent> watch(WatchSignRequestsRequest r) {
        return stream.watch(r.getKeyringAddr(), r.getStatusesValueList(), r.getCursor());
    }
}
