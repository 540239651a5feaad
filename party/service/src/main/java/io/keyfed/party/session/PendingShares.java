package io.keyfed.party.session;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.ledger.LedgerView;
import io.keyfed.party.store.ResultStore;
import io.keyfed.party.store.ShareState;
import io.keyfed.party.store.StoredResult;
import io.smallrye.mutiny.Uni;

/**
 * Resolves pending shares from the ledger's own status, read over the party's authenticated ledger link
 * ({@link LedgerView}). A share is pending when its session sent its CONFIRM but did not get every peer's
 * matching CONFIRM (the deadline passed, a complaint or a different CONFIRM arrived, or the party stopped). Only
 * the ledger's final status resolves it:
 * <ul>
 * <li>FULFILLED with the group key this party verified: the share becomes active, the answer is FULFILLED;</li>
 * <li>REJECTED: the share is retired (marked, kept), the answer is REJECTED naming the ledger's reason;</li>
 * <li>FULFILLED with another key: nothing is attested. The difference is logged and recorded on the row (shown by
 * {@code GET /admin/shares/pending}); the share stays pending and Keygen answers FAILED_PRECONDITION.</li>
 * </ul>
 * While the request is PENDING or PARTIAL at the ledger (or the ledger cannot be reached) it is read again after a
 * pause that doubles from {@code keyfed.party.ledger-poll-backoff} to {@code keyfed.party.ledger-poll-max-backoff}
 * (Mutiny's retry with exponential backoff), until the status is final. One resolution runs per request; every
 * caller waiting for that request shares it. The database and token work runs on the worker executor.
 */
final class PendingShares {
    private static final Logger LOG = Logger.getLogger(PendingShares.class);

    /** The ledger's status is not final yet: read again later. */
    private static final class NotFinal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFinal(String message) {
            super(message, null, false, false);
        }
    }

    private final DkgSessionManager manager;
    private final LedgerView ledger;
    private final ResultStore store;
    private final Executor worker;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final long callWindowMillis;
    /** The answer callers wait for, per request being resolved. */
    private final Map<Long, CompletableFuture<PartyResponse>> inFlight = new ConcurrentHashMap<>();
    /** The ledger reads behind them (cancelled at shutdown). */
    private final Map<Long, CompletableFuture<PartyResponse>> polls = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PendingShares(DkgSessionManager manager, LedgerView ledger, ResultStore store, Executor worker,
            Duration firstBackoff, Duration maxBackoff, long callWindowMillis) {
        this.manager = manager;
        this.ledger = ledger;
        this.store = store;
        this.worker = worker;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff.compareTo(firstBackoff) < 0 ? firstBackoff : maxBackoff;
        this.callWindowMillis = callWindowMillis;
    }

    /**
     * The answer for a pending share, once the ledger's status is final (shared by every caller for the request).
     * Fails with FAILED_PRECONDITION when the ledger recorded another key (now or earlier).
     */
    CompletableFuture<PartyResponse> answer(StoredResult row) {
        long id = row.requestId();
        if (row.ledgerPublicKey() != null) {
            return CompletableFuture.failedFuture(mismatch(row, row.ledgerPublicKey()));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new PartyException(Status.Code.UNAVAILABLE,
                    "the party is shutting down"));
        }
        CompletableFuture<PartyResponse> mine = new CompletableFuture<>();
        CompletableFuture<PartyResponse> shared = inFlight.putIfAbsent(id, mine);
        if (shared != null) {
            return shared;
        }
        LOG.infof("request %s: the pending share waits for the ledger's final status", rid(id));
        CompletableFuture<PartyResponse> poll = Uni.createFrom()
                .completionStage(() -> {
                    long deadline = System.currentTimeMillis() + callWindowMillis;
                    return ledger.chainId(deadline).thenCombine(ledger.keyRequest(id, deadline), Read::new);
                })
                .emitOn(worker)
                .map(read -> resolve(row, read))
                .onFailure(PendingShares::readAgain).invoke(f -> LOG.debugf("request %s: %s; reading the ledger"
                        + " again later", rid(id), f instanceof NotFinal ? f.getMessage() : WorkerFutures.describe(f)))
                .onFailure(PendingShares::readAgain).retry().withBackOff(firstBackoff, maxBackoff).withJitter(0.1)
                .indefinitely()
                .subscribeAsCompletionStage();
        polls.put(id, poll);
        poll.whenComplete((answer, failure) -> {
            polls.remove(id, poll);
            inFlight.remove(id, mine);
            if (failure != null) {
                mine.completeExceptionally(WorkerFutures.unwrap(failure));
            } else {
                mine.complete(answer);
            }
        });
        if (closed) {
            poll.cancel(false);
        }
        return mine;
    }

    /** After a restart: starts resolving every pending share whose request the ledger has not settled otherwise. */
    void resumeAll() {
        List<StoredResult> pending;
        try {
            pending = store.pendingShares();
        } catch (PartyException e) {
            LOG.errorf("the pending shares could not be listed; they are resolved on their next Keygen call: %s",
                    e.getMessage());
            return;
        }
        for (StoredResult row : pending) {
            if (row.ledgerPublicKey() == null) {
                answer(row).whenComplete((a, f) -> {
                    if (f != null) {
                        LOG.debugf("request %s: pending share not resolved: %s", rid(row.requestId()),
                                WorkerFutures.describe(f));
                    }
                });
            }
        }
        if (!pending.isEmpty()) {
            LOG.infof("%d pending share(s) found at start", pending.size());
        }
    }

    /** Stops every resolution (shutdown); the shares stay pending in the database. */
    void close() {
        closed = true;
        inFlight.values().forEach(f -> f.completeExceptionally(new PartyException(Status.Code.UNAVAILABLE,
                "the party is shutting down")));
        polls.values().forEach(f -> f.cancel(false));
    }

    /** Whether the request's pending share is being resolved now. */
    boolean isResolving(long requestId) {
        return inFlight.containsKey(requestId);
    }

    private record Read(String chainId, Optional<KeyRequest> request) {
    }

    private static boolean readAgain(Throwable f) {
        Throwable c = WorkerFutures.unwrap(f);
        return !(c instanceof PartyException pe && pe.code() == Status.Code.FAILED_PRECONDITION);
    }

    /** Applies the ledger's final status to the pending share; NotFinal while it is not final. Worker thread. */
    private PartyResponse resolve(StoredResult row, Read read) {
        long id = row.requestId();
        KeyRequest atLedger = read.request().orElseThrow(() -> new NotFinal("the ledger does not know request "
                + rid(id)));
        KeyRequestStatus status = atLedger.getStatus();
        if (status != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                && status != KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            throw new NotFinal("request " + rid(id) + " is " + status + " at the ledger");
        }
        SessionSpec spec;
        try {
            spec = manager.specOf(KeygenRequest.newBuilder().setChainId(read.chainId()).setRequest(atLedger).build(),
                    atLedger.getDeadlineUnixMs() - 1);
        } catch (PartyException e) {
            throw differs(id, "its copy does not validate: " + e.getMessage());
        }
        if (!Arrays.equals(spec.sessionId().toBytes(), row.sessionId()) || spec.selfId() != row.participantId()) {
            throw differs(id, "its copy of the request derives another session than the one this share is from");
        }
        if (status == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            String why = atLedger.getRejectReason().isEmpty() ? "no reason given" : atLedger.getRejectReason();
            PartyResponse response = manager.answers().sign(spec, status, new byte[0],
                    "rejected at the ledger: " + why);
            StoredResult stored = store.resolve(id, ShareState.RETIRED, response);
            LOG.infof("request %s: REJECTED at the ledger (%s); the pending share is retired (kept, marked)", rid(id),
                    why);
            return manager.answers().current(spec, stored.response());
        }
        byte[] ours = groupKey(row);
        byte[] theirs = atLedger.getPublicKey().toByteArray();
        if (!Arrays.equals(ours, theirs)) {
            store.recordLedgerMismatch(id, theirs);
            LOG.warnf("request %s: the ledger recorded it FULFILLED with public key %s, but the key this party"
                    + " verified is %s: not attested; the share stays pending (GET /admin/shares/pending)", rid(id),
                    HexFormat.of().formatHex(theirs), HexFormat.of().formatHex(ours));
            throw mismatch(row, theirs);
        }
        PartyResponse response = manager.answers().sign(spec, status, ours, "");
        StoredResult stored = store.resolve(id, ShareState.ACTIVE, response);
        LOG.infof("request %s: FULFILLED at the ledger with the key this party verified; the share is active", rid(id));
        return manager.answers().current(spec, stored.response());
    }

    /** The group key of a stored share's public key package. */
    static byte[] groupKey(StoredResult row) {
        KeyType type = KeyType.forNumber(row.keyType());
        Curve curve = Curve.of(SessionSpec.curveOf(type == null ? KeyType.UNRECOGNIZED : type));
        try {
            return PublicKeyPackage.decode(curve, row.publicKeyPackage(), row.participantId()).groupPublicKey();
        } catch (DkgAbort e) {
            throw new PartyException(Status.Code.FAILED_PRECONDITION, "the stored result of request "
                    + rid(row.requestId()) + " is corrupt (its public key package does not decode)");
        }
    }

    private static PartyException mismatch(StoredResult row, byte[] ledgerKey) {
        return new PartyException(Status.Code.FAILED_PRECONDITION, "request " + rid(row.requestId())
                + " is FULFILLED at the ledger with public key " + HexFormat.of().formatHex(ledgerKey)
                + ", not the key this party verified (" + HexFormat.of().formatHex(groupKey(row))
                + "); this party does not attest it, and its share stays pending");
    }

    private static PartyException differs(long id, String what) {
        LOG.errorf("request %s: the ledger's final status is not applied: %s", rid(id), what);
        return new PartyException(Status.Code.FAILED_PRECONDITION, "request " + rid(id) + ": the ledger's final"
                + " status is not applied to the pending share: " + what);
    }

    private static String rid(long id) {
        return Long.toUnsignedString(id);
    }
}
