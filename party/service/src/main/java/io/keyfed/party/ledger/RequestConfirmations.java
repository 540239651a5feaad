package io.keyfed.party.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.PartyException;

/**
 * Confirms a Keygen call with the ledger before any session exists: the call's request is only a hint of which
 * request to look up. The ledger must know the request, and its copy must agree with the call on everything the
 * session depends on (chain id, id, keyring, key type, party snapshot with keys in order, threshold, deadline),
 * and its status must be PENDING or PARTIAL. Otherwise the call is refused and nothing is left behind.
 *
 * <p>One ledger lookup per request id runs at a time (concurrent calls for the same id share it); at most
 * {@code keyfed.party.max-confirmations} request ids are being looked up at once, more are refused with
 * {@code RESOURCE_EXHAUSTED}. Results complete on the worker executor, never on a gRPC or event-loop thread.
 */
public final class RequestConfirmations {
    /** What the ledger said about one request id: its chain id and its copy of the request, if it has one. */
    private record Answer(String chainId, Optional<KeyRequest> request) {
    }

    private final LedgerView ledger;
    private final int maxInFlight;
    private final long confirmTimeoutMillis;
    private final Executor worker;
    private final PartyMetrics metrics;
    private final Map<Long, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

    public RequestConfirmations(LedgerView ledger, int maxInFlight, long confirmTimeoutMillis, Executor worker,
            PartyMetrics metrics) {
        this.ledger = ledger;
        this.maxInFlight = maxInFlight;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.worker = worker;
        this.metrics = metrics;
    }

    /**
     * The ledger's copy of the call's request, once confirmed (on the worker executor). Fails with a
     * {@link PartyException}: {@code NOT_FOUND} (unknown to the ledger), {@code FAILED_PRECONDITION} (known
     * differently, naming the fields, or already final), {@code RESOURCE_EXHAUSTED} (too many confirmations in
     * flight) or {@code UNAVAILABLE} (the ledger could not be asked in time).
     */
    public CompletableFuture<KeyRequest> confirm(KeygenRequest call) {
        long started = System.nanoTime();
        KeyRequest hint = call.getRequest();
        long deadline = Math.min(hint.getDeadlineUnixMs(), System.currentTimeMillis() + confirmTimeoutMillis);
        CompletableFuture<Answer> answer;
        try {
            answer = lookup(hint.getId(), deadline);
        } catch (PartyException e) {
            metrics.ledgerConfirm(PartyMetrics.Confirm.FAILED, System.nanoTime() - started);
            return CompletableFuture.failedFuture(e);
        }
        return answer.handleAsync((a, failure) -> {
            PartyMetrics.Confirm outcome = PartyMetrics.Confirm.FAILED;
            try {
                if (failure != null) {
                    throw failure instanceof PartyException pe ? pe
                            : new PartyException(Status.Code.UNAVAILABLE, "request "
                                    + Long.toUnsignedString(hint.getId()) + " could not be confirmed with the ledger");
                }
                outcome = PartyMetrics.Confirm.REFUSED;
                KeyRequest confirmed = check(call, a.chainId(), a.request());
                outcome = PartyMetrics.Confirm.CONFIRMED;
                return confirmed;
            } finally {
                metrics.ledgerConfirm(outcome, System.nanoTime() - started);
            }
        }, worker);
    }

    /** Requests being looked up at the ledger now. */
    public int inFlight() {
        return inFlight.size();
    }

    private CompletableFuture<Answer> lookup(long id, long deadlineMillis) {
        CompletableFuture<Answer> shared;
        synchronized (inFlight) {
            shared = inFlight.get(id);
            if (shared != null) {
                return shared;
            }
            if (inFlight.size() >= maxInFlight) {
                throw new PartyException(Status.Code.RESOURCE_EXHAUSTED, "already confirming " + inFlight.size()
                        + " requests with the ledger (keyfed.party.max-confirmations); request "
                        + Long.toUnsignedString(id) + " not started");
            }
            shared = new CompletableFuture<>();
            inFlight.put(id, shared);
        }
        CompletableFuture<Answer> mine = shared;
        mine.whenComplete((a, e) -> inFlight.remove(id, mine));
        try {
            ledger.chainId(deadlineMillis)
                    .thenCombine(ledger.keyRequest(id, deadlineMillis), Answer::new)
                    .whenComplete((a, e) -> {
                        if (e != null) {
                            mine.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                                    && e.getCause() != null ? e.getCause() : e);
                        } else {
                            mine.complete(a);
                        }
                    });
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    /**
     * The ledger's copy when it confirms {@code call}; otherwise the refusal.
     *
     * @throws PartyException NOT_FOUND or FAILED_PRECONDITION, with a message naming the request and the problem
     */
    static KeyRequest check(KeygenRequest call, String chainId, Optional<KeyRequest> atLedger) {
        return LedgerCopies.confirmed(KIND, Long.toUnsignedString(call.getRequest().getId()), atLedger,
                ledger -> differences(call, chainId, ledger));
    }

    private static final LedgerCopies.Kind<KeyRequest> KIND = new LedgerCopies.Kind<>("request", "no session started",
            r -> r.getStatus().name().replace("KEY_REQUEST_STATUS_", ""),
            r -> r.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PENDING
                    || r.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL,
            "PENDING or PARTIAL");

    /** The names of the fields (proto names) in which the call disagrees with the ledger's copy. */
    static List<String> differences(KeygenRequest call, String chainId, KeyRequest ledger) {
        KeyRequest hint = call.getRequest();
        List<String> out = new ArrayList<>();
        if (!call.getChainId().equals(chainId)) {
            out.add("chain_id");
        }
        if (hint.getId() != ledger.getId()) {
            out.add("id");
        }
        if (!hint.getKeyringAddr().equals(ledger.getKeyringAddr())) {
            out.add("keyring_addr");
        }
        if (hint.getKeyTypeValue() != ledger.getKeyTypeValue()) {
            out.add("key_type");
        }
        if (!hint.getPartiesList().equals(ledger.getPartiesList())) {
            out.add("parties");
        }
        if (hint.getPartyThreshold() != ledger.getPartyThreshold()) {
            out.add("party_threshold");
        }
        if (hint.getDeadlineUnixMs() != ledger.getDeadlineUnixMs()) {
            out.add("deadline_unix_ms");
        }
        return out;
    }
}
