package io.keyfed.bench.load;

import io.grpc.ManagedChannel;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;

/** The {@code WatchKeyRequests} stream of a keyring's final key-request statuses. */
final class KeyRequestWatch extends FinalStatusWatch {
    private final LedgerGrpc.LedgerStub stub;
    private final String keyring;

    KeyRequestWatch(ManagedChannel ch, String keyring) {
        this.stub = LedgerGrpc.newStub(ch);
        this.keyring = keyring;
    }

    @Override
    protected void subscribe(long cursor) {
        WatchKeyRequestsRequest req = WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setCursor(cursor).build();
        stub.watchKeyRequests(req, observer((KeyRequestEvent ev) -> {
            KeyRequestStatus st = ev.getRequest().getStatus();
            Status outcome = st == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED ? Status.FULFILLED
                    : st == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED ? Status.REJECTED : null;
            event(ev.getCursor(), ev.getRequest().getId(), outcome, ev.getRequest().getRejectReason());
        }));
    }
}
