package io.keyfed.connector.fake;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.Params;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the ledger that implements the published {@code keyfed.ledger.v1.Ledger} contract as far as
 * the connector uses it: GetParams, WatchKeyRequests (replay of open requests on cursor 0, events after the
 * cursor otherwise, then live events) and FulfilKeyRequest (records the answer, refuses a second answer from
 * the same party or an answer to a REJECTED request with FAILED_PRECONDITION, takes a first answer after
 * FULFILLED as a holder attestation or a non-holder without changing the status, and emits the change).
 * It does not verify signatures: that is the real ledger's job. Failures can be scripted per request.
 * WatchSignRequests and FulfilSignatureRequest are {@link FakeSignLedger}'s ({@link #signs()}), on the same
 * cursor sequence.
 */
public final class FakeLedger extends LedgerGrpc.LedgerImplBase {

    public static final String CHAIN_ID = "keyfed-test-1";

    private final List<KeyRequestEvent> log = new ArrayList<>();
    private final Map<Long, KeyRequest> requests = new LinkedHashMap<>();
    private final List<WatchKeyRequestsRequest> watchCalls = new ArrayList<>();
    private final List<StreamObserver<KeyRequestEvent>> watchers = new ArrayList<>();
    private final List<PartyResponse> fulfilCalls = new ArrayList<>();
    private final List<PartyResponse> accepted = new ArrayList<>();
    private final Map<Long, List<Status>> scriptedFulfilFailures = new HashMap<>();
    private final FakeSignLedger signs = new FakeSignLedger(this::nextCursor);
    private long cursor;

    /** The sign-request half of this ledger. */
    public FakeSignLedger signs() {
        return signs;
    }

    @Override
    public void watchSignRequests(WatchSignRequestsRequest request, StreamObserver<SignRequestEvent> response) {
        signs.watch(request, response);
    }

    @Override
    public void fulfilSignatureRequest(PartySignResponse answer, StreamObserver<SignRequest> response) {
        signs.fulfil(answer, response);
    }

    private synchronized long nextCursor() {
        return ++cursor;
    }

    @Override
    public void getParams(GetParamsRequest request, StreamObserver<Params> response) {
        response.onNext(Params.newBuilder().setChainId(CHAIN_ID).setAddressPrefix("zen").build());
        response.onCompleted();
    }

    @Override
    public synchronized void watchKeyRequests(WatchKeyRequestsRequest request,
            StreamObserver<KeyRequestEvent> response) {
        watchCalls.add(request);
        if (request.getCursor() == 0) {
            for (KeyRequestEvent event : latestOpenEvents(request.getKeyringAddr())) {
                response.onNext(event);
            }
        } else {
            for (KeyRequestEvent event : log) {
                if (event.getCursor() > request.getCursor() && matches(event, request.getKeyringAddr())) {
                    response.onNext(event);
                }
            }
        }
        watchers.add(response);
        ((ServerCallStreamObserver<KeyRequestEvent>) response).setOnCancelHandler(() -> removeWatcher(response));
    }

    @Override
    public void fulfilKeyRequest(PartyResponse answer, StreamObserver<KeyRequest> response) {
        KeyRequest after;
        synchronized (this) {
            fulfilCalls.add(answer);
            List<Status> script = scriptedFulfilFailures.get(answer.getRequestId());
            if (script != null && !script.isEmpty()) {
                response.onError(script.remove(0).asRuntimeException());
                return;
            }
            KeyRequest before = requests.get(answer.getRequestId());
            if (before == null) {
                response.onError(Status.NOT_FOUND.withDescription("no such request").asRuntimeException());
                return;
            }
            boolean open = before.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PENDING
                    || before.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL;
            boolean fulfilled = before.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
            boolean answered = before.getKeyringPartySigsList().stream()
                    .anyMatch(sig -> sig.getCreator().equals(answer.getPartyAddr()));
            if (!(open || fulfilled) || answered) {
                response.onError(Status.FAILED_PRECONDITION
                        .withDescription(open ? "party already answered" : "request is final").asRuntimeException());
                return;
            }
            KeyRequest.Builder next = before.toBuilder().addKeyringPartySigs(PartySignature.newBuilder()
                    .setCreator(answer.getPartyAddr()).setSignature(answer.getSignature())
                    .setStatus(answer.getStatus()));
            if (fulfilled) {
                // a late answer: a holder attestation (FULFILLED) or a non-holder (REJECTED); no status change
                if (answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED) {
                    next.addHolders(answer.getPartyAddr());
                } else {
                    next.addNonHolders(answer.getPartyAddr());
                }
            } else if (answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
                next.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason(answer.getRejectReason());
            } else if (next.getKeyringPartySigsCount() >= Math.max(1, before.getPartyThreshold())) {
                next.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED).setPublicKey(answer.getPublicKey());
            } else {
                next.setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL);
            }
            after = next.build();
            accepted.add(answer);
            emit(after);
        }
        response.onNext(after);
        response.onCompleted();
    }

    /** Records a new or changed request and pushes it to every open stream; returns its cursor. */
    public synchronized long emit(KeyRequest request) {
        return emit(request, "");
    }

    /** As {@link #emit(KeyRequest)}, the event carrying the given trace context. */
    public synchronized long emit(KeyRequest request, String traceparent) {
        KeyRequestEvent event = KeyRequestEvent.newBuilder().setCursor(nextCursor()).setRequest(request)
                .setTraceparent(traceparent).build();
        log.add(event);
        requests.put(request.getId(), request);
        boolean open = isOpen(request);
        for (StreamObserver<KeyRequestEvent> watcher : List.copyOf(watchers)) {
            if (open && matches(event, request.getKeyringAddr())) {
                watcher.onNext(event);
            }
        }
        return event.getCursor();
    }

    /** Ends every open stream with the given status (or completes them when null). */
    public synchronized void disconnectAll(Status status) {
        for (StreamObserver<KeyRequestEvent> watcher : List.copyOf(watchers)) {
            if (status == null) {
                watcher.onCompleted();
            } else {
                watcher.onError(status.asRuntimeException());
            }
        }
        watchers.clear();
    }

    /** The next FulfilKeyRequest calls for this request fail with these statuses, in order. */
    public synchronized void failFulfil(long requestId, Status... statuses) {
        scriptedFulfilFailures.computeIfAbsent(requestId, id -> new ArrayList<>()).addAll(List.of(statuses));
    }

    public synchronized long cursor() {
        return cursor;
    }

    public synchronized List<WatchKeyRequestsRequest> watchCalls() {
        return List.copyOf(watchCalls);
    }

    public synchronized int openStreams() {
        return watchers.size();
    }

    public synchronized List<PartyResponse> fulfilCalls(long requestId) {
        return fulfilCalls.stream().filter(r -> r.getRequestId() == requestId).toList();
    }

    public synchronized List<PartyResponse> accepted(long requestId) {
        return accepted.stream().filter(r -> r.getRequestId() == requestId).toList();
    }

    public synchronized KeyRequest request(long requestId) {
        return requests.get(requestId);
    }

    private synchronized void removeWatcher(StreamObserver<KeyRequestEvent> watcher) {
        watchers.remove(watcher);
    }

    private List<KeyRequestEvent> latestOpenEvents(String keyring) {
        Map<Long, KeyRequestEvent> latest = new LinkedHashMap<>();
        for (KeyRequestEvent event : log) {
            latest.put(event.getRequest().getId(), event);
        }
        return latest.values().stream()
                .filter(e -> isOpen(e.getRequest()) && matches(e, keyring))
                .toList();
    }

    private static boolean matches(KeyRequestEvent event, String keyring) {
        return event.getRequest().getKeyringAddr().equals(keyring);
    }

    private static boolean isOpen(KeyRequest request) {
        return request.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PENDING
                || request.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL;
    }
}
