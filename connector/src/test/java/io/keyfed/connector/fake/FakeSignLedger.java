package io.keyfed.connector.fake;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The sign-request half of {@link FakeLedger}: WatchSignRequests (replay of the open requests in the asked
 * statuses on cursor 0, events after the cursor otherwise, then live events; one cursor sequence with the key
 * requests') and FulfilSignatureRequest (records the answer; NOT_FOUND for an unknown request; FAILED_PRECONDITION
 * for a final request or a second answer of the same party; the first FULFILLED answer makes the request
 * FULFILLED with its signatures; REJECTED answers make it PARTIAL, then REJECTED once more than n - t refused).
 * It verifies no signature: that is the real ledger's job. Failures can be scripted per request.
 */
public final class FakeSignLedger {

    /** An open stream and what it asked for. */
    private record Watcher(WatchSignRequestsRequest request, StreamObserver<SignRequestEvent> observer) {
    }

    private final LongSupplier nextCursor;
    private final List<SignRequestEvent> log = new ArrayList<>();
    private final Map<Long, SignRequest> requests = new LinkedHashMap<>();
    private final List<WatchSignRequestsRequest> watchCalls = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final List<PartySignResponse> fulfilCalls = new ArrayList<>();
    private final List<PartySignResponse> accepted = new ArrayList<>();
    private final Map<Long, List<Status>> scriptedFulfilFailures = new HashMap<>();
    private long lastCursor;

    FakeSignLedger(LongSupplier nextCursor) {
        this.nextCursor = nextCursor;
    }

    synchronized void watch(WatchSignRequestsRequest request, StreamObserver<SignRequestEvent> response) {
        watchCalls.add(request);
        if (request.getCursor() == 0) {
            Map<Long, SignRequestEvent> latest = new LinkedHashMap<>();
            for (SignRequestEvent event : log) {
                latest.put(event.getRequest().getId(), event);
            }
            latest.values().stream().filter(e -> matches(e, request)).forEach(response::onNext);
        } else {
            log.stream().filter(e -> e.getCursor() > request.getCursor() && matches(e, request))
                    .forEach(response::onNext);
        }
        Watcher watcher = new Watcher(request, response);
        watchers.add(watcher);
        ((ServerCallStreamObserver<SignRequestEvent>) response).setOnCancelHandler(() -> remove(watcher));
    }

    void fulfil(PartySignResponse answer, StreamObserver<SignRequest> response) {
        SignRequest after;
        synchronized (this) {
            fulfilCalls.add(answer);
            List<Status> script = scriptedFulfilFailures.get(answer.getRequestId());
            if (script != null && !script.isEmpty()) {
                response.onError(script.remove(0).asRuntimeException());
                return;
            }
            SignRequest before = requests.get(answer.getRequestId());
            if (before == null) {
                response.onError(Status.NOT_FOUND.withDescription("no sign request " + answer.getRequestId())
                        .asRuntimeException());
                return;
            }
            boolean answered = before.getKeyringPartySigsList().stream()
                    .anyMatch(a -> a.getCreator().equals(answer.getPartyAddr()));
            if (!isOpen(before) || answered) {
                response.onError(Status.FAILED_PRECONDITION
                        .withDescription(answered ? "party already answered" : "sign request is final")
                        .asRuntimeException());
                return;
            }
            SignRequest.Builder next = before.toBuilder().addKeyringPartySigs(PartySignAnswer.newBuilder()
                    .setCreator(answer.getPartyAddr()).setSignature(answer.getSignature())
                    .setStatus(answer.getStatus()).addAllSignatures(answer.getSignaturesList())
                    .setRejectReason(answer.getRejectReason()));
            if (answer.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED) {
                next.setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED)
                        .addAllSignatures(answer.getSignaturesList());
            } else {
                long refusals = next.getKeyringPartySigsList().stream()
                        .filter(a -> a.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).count();
                boolean hopeless = refusals > before.getPartiesCount() - before.getPartyThreshold();
                next.setStatus(hopeless ? SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED
                        : SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL);
                if (hopeless) {
                    next.setRejectReason(answer.getRejectReason());
                }
            }
            after = next.build();
            accepted.add(answer);
            emit(after, "");
        }
        response.onNext(after);
        response.onCompleted();
    }

    /** Records a new or changed sign request and pushes it to every open stream that asked for its status. */
    public synchronized long emit(SignRequest request, String traceparent) {
        SignRequestEvent event = SignRequestEvent.newBuilder().setCursor(nextCursor.getAsLong()).setRequest(request)
                .setTraceparent(traceparent).build();
        lastCursor = event.getCursor();
        log.add(event);
        requests.put(request.getId(), request);
        for (Watcher watcher : List.copyOf(watchers)) {
            if (matches(event, watcher.request())) {
                watcher.observer().onNext(event);
            }
        }
        return event.getCursor();
    }

    /** Ends every open sign stream with the given status (or completes them when null). */
    public synchronized void disconnectAll(Status status) {
        for (Watcher watcher : List.copyOf(watchers)) {
            if (status == null) {
                watcher.observer().onCompleted();
            } else {
                watcher.observer().onError(status.asRuntimeException());
            }
        }
        watchers.clear();
    }

    /** The next FulfilSignatureRequest calls for this request fail with these statuses, in order. */
    public synchronized void failFulfil(long requestId, Status... statuses) {
        scriptedFulfilFailures.computeIfAbsent(requestId, id -> new ArrayList<>()).addAll(List.of(statuses));
    }

    /** Cursor of the last sign request event. */
    public synchronized long lastCursor() {
        return lastCursor;
    }

    public synchronized List<WatchSignRequestsRequest> watchCalls() {
        return List.copyOf(watchCalls);
    }

    public synchronized int openStreams() {
        return watchers.size();
    }

    public synchronized List<PartySignResponse> fulfilCalls(long requestId) {
        return fulfilCalls.stream().filter(r -> r.getRequestId() == requestId).toList();
    }

    public synchronized List<PartySignResponse> accepted(long requestId) {
        return accepted.stream().filter(r -> r.getRequestId() == requestId).toList();
    }

    public synchronized SignRequest request(long requestId) {
        return requests.get(requestId);
    }

    private synchronized void remove(Watcher watcher) {
        watchers.remove(watcher);
    }

    private static boolean matches(SignRequestEvent event, WatchSignRequestsRequest watch) {
        SignRequest request = event.getRequest();
        if (!request.getKeyringAddr().equals(watch.getKeyringAddr())) {
            return false;
        }
        return watch.getStatusesCount() == 0 ? isOpen(request) : watch.getStatusesList().contains(request.getStatus());
    }

    private static boolean isOpen(SignRequest request) {
        return request.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_PENDING
                || request.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL;
    }
}
