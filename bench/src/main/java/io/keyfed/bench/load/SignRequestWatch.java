package io.keyfed.bench.load;

import io.grpc.ManagedChannel;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;

/** The {@code WatchSignRequests} stream of a keyring's final sign-request statuses. */
final class SignRequestWatch extends FinalStatusWatch {
    private final LedgerGrpc.LedgerStub stub;
    private final String keyring;

    SignRequestWatch(ManagedChannel ch, String keyring) {
        this.stub = LedgerGrpc.newStub(ch);
        this.keyring = keyring;
    }

    @Override
    protected void subscribe(long cursor) {
        WatchSignRequestsRequest req = WatchSignRequestsRequest.newBuilder().setKeyringAddr(keyring)
                .addStatuses(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED)
                .addStatuses(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).setCursor(cursor).build();
        stub.watchSignRequests(req, observer((SignRequestEvent ev) -> {
            SignRequestStatus st = ev.getRequest().getStatus();
            Status outcome = st == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED ? Status.FULFILLED
                    : st == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED ? Status.REJECTED : null;
            event(ev.getCursor(), ev.getRequest().getId(), outcome, ev.getRequest().getRejectReason());
        }));
    }
}
