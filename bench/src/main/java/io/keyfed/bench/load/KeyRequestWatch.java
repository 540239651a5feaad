package io.keyfed.bench.load;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
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
        stub.watchKeyRequests(req, new StreamObserver<>() {
            @Override
            public void onNext(KeyRequestEvent ev) {
                KeyRequestStatus st = ev.getRequest().getStatus();
                event(ev.getCursor(), ev.getRequest().getId(), st == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                        ? Status.FULFILLED : st == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED ? Status.REJECTED
                                : null, ev.getRequest().getRejectReason());
            }

            @Override
            public void onError(Throwable t) {
                ended();
            }

            @Override
            public void onCompleted() {
                ended();
            }
        });
    }
}
