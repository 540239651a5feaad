package io.keyfed.party.session;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.store.ShareSealing;
import io.keyfed.party.store.ShareState;
import io.keyfed.party.store.StoredResult;

/**
 * Stores a session's outcome and answers it. After Dkg.finish the share is sealed in the token and stored
 * <em>pending</em> before any CONFIRM goes out ({@link #storePending}); once every peer confirmed, the answer is
 * signed FULFILLED and the share marked active ({@link #confirmed}); after this party's CONFIRM a failure leaves
 * the share pending and the ledger's final status answers ({@link #awaitLedger}); before it, an abort is signed
 * and stored REJECTED ({@link #rejected}). A result is stored before the session ends, and the session ends
 * ({@link KeygenSession#end}, or {@link KeygenSession#fail} when nothing could be stored) before the answer is
 * released. Not thread-safe: called only by its {@link KeygenSession}, under the session's lock (store and token
 * calls included, as before: the session runs on a worker thread, never on an event loop).
 */
final class SessionOutcomeWriter {
    /** Logs under the session's category. */
    private static final Logger LOG = Logger.getLogger(KeygenSession.class);

    private final SessionSpec spec;
    private final DkgSessionManager manager;
    private final KeygenSession session;
    private final CompletableFuture<PartyResponse> result;
    private final long startedMillis = System.currentTimeMillis();

    /** After Dkg.finish: the outcome waiting for every peer's confirmation (all public or sealed). */
    private PublicKeyPackage outcome;
    private byte[] sealedShare;
    /** The share stored pending before this party sent its CONFIRM (the row, which outlives the session). */
    private StoredResult pendingRow;
    private byte[] confirmDigest;

    SessionOutcomeWriter(SessionSpec spec, DkgSessionManager manager, KeygenSession session,
            CompletableFuture<PartyResponse> result) {
        this.spec = spec;
        this.manager = manager;
        this.session = session;
        this.result = result;
    }

    /** This party's confirmation digest (null before {@link #storePending} succeeded). */
    byte[] confirmDigest() {
        return confirmDigest;
    }

    /**
     * Dkg.finish succeeded: seal the share in the token at once (the clear share is wiped here) and store it
     * marked pending (committed). True when it was stored: only then may the CONFIRM digest be sent. From here on
     * the share is never thrown away: it becomes active when every peer confirmed the same digest
     * ({@link #confirmed()}), and otherwise the ledger's final status decides ({@link #awaitLedger}). When it
     * cannot be stored the session fails (false).
     */
    boolean storePending(DkgResult r) {
        PublicKeyPackage pkp = r.publicKeyPackage();
        byte[] share = r.secretShare().toBytes();
        try {
            sealedShare = manager.token().seal(share, ShareSealing.aad(spec.requestId(), spec.sessionId().toBytes(),
                    spec.curveName(), spec.keyType().getNumber(), spec.self()));
        } finally {
            Arrays.fill(share, (byte) 0);
            r.destroy();
        }
        outcome = pkp;
        confirmDigest = KeyConfirmation.digest(spec.sessionId().toBytes(), pkp.groupPublicKey(), pkp.encode());
        StoredResult row = StoredResult.pending(spec.requestId(), spec.keyType().getNumber(),
                spec.sessionId().toBytes(), spec.selfId(), pkp.encode(), sealedShare);
        try {
            if (manager.store().putIfAbsent(row) != row) {
                throw new PartyException(Status.Code.INTERNAL, "request " + spec.requestIdText()
                        + " already has a stored row; its share is not stored again and no CONFIRM is sent");
            }
        } catch (PartyException e) {
            LOG.errorf("request %s: the verified share could not be stored, so no CONFIRM is sent: %s",
                    spec.requestIdText(), e.getMessage());
            session.fail(e);
            return false;
        }
        pendingRow = row;
        manager.metrics().shareStored();
        return true;
    }

    /** Every peer confirmed our outcome: sign FULFILLED, mark the pending share active (committed), then answer. */
    void confirmed() {
        PartyResponse response = manager.answers().sign(spec, KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED,
                outcome.groupPublicKey(), "");
        StoredResult stored;
        try {
            stored = manager.store().resolve(spec.requestId(), ShareState.ACTIVE, response);
        } catch (PartyException e) {
            LOG.errorf("request %s: the share could not be marked active, so it is not released (it stays pending): %s",
                    spec.requestIdText(), e.getMessage());
            session.fail(e);
            return;
        }
        session.end();
        manager.metrics().sessionEnded(stored.fulfilled() ? PartyMetrics.Outcome.FULFILLED
                : PartyMetrics.Outcome.REJECTED);
        LOG.debugf("request %s: session finished: FULFILLED (%s, %d-of-%d, %d ms)", spec.requestIdText(),
                spec.curveName(), spec.threshold(), spec.n(), System.currentTimeMillis() - startedMillis);
        result.complete(manager.answers().current(spec, stored.response()));
    }

    /**
     * This party sent its CONFIRM but will not get every peer's matching one ({@code why}): the session ends, its
     * share stays pending, and the answer is the one the ledger's final status gives ({@link PendingShares}).
     */
    void awaitLedger(String why) {
        LOG.warnf("request %s: %s; the share stays pending and the answer follows the ledger's final status",
                spec.requestIdText(), why);
        StoredResult row = pendingRow;
        session.end();
        manager.metrics().sessionEnded(PartyMetrics.Outcome.PENDING);
        manager.awaitLedger(row).whenComplete((answer, failure) -> {
            if (failure != null) {
                result.completeExceptionally(WorkerFutures.unwrap(failure));
            } else {
                result.complete(answer);
            }
        });
    }

    /** The session aborted before this party's CONFIRM: sign REJECTED with {@code reason}, store it, answer. */
    void rejected(String reason) {
        try {
            PartyResponse response = manager.answers().sign(spec, KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED,
                    new byte[0], reason);
            persistAndAnswer(new StoredResult(spec.requestId(), spec.keyType().getNumber(),
                    spec.sessionId().toBytes(), spec.selfId(), null, null, response), "REJECTED");
        } catch (RuntimeException e) {
            session.fail(e instanceof PartyException pe ? pe
                    : new PartyException(Status.Code.INTERNAL, "cannot answer the abort: " + e.getMessage()));
        }
    }

    private void persistAndAnswer(StoredResult record, String outcome) {
        StoredResult stored;
        try {
            stored = manager.store().putIfAbsent(record);
        } catch (PartyException e) {
            LOG.errorf("request %s: the result could not be stored, so it is not released: %s",
                    spec.requestIdText(), e.getMessage());
            session.fail(e);
            return;
        }
        session.end();
        manager.metrics().sessionEnded(record.fulfilled() ? PartyMetrics.Outcome.FULFILLED
                : PartyMetrics.Outcome.REJECTED);
        LOG.debugf("request %s: session finished: %s (%s, %d-of-%d, %d ms)", spec.requestIdText(), outcome,
                spec.curveName(), spec.threshold(), spec.n(), System.currentTimeMillis() - startedMillis);
        if (!Arrays.equals(stored.sessionId(), record.sessionId()) || !stored.response().equals(record.response())) {
            LOG.warnf("request %s: an earlier stored result exists; it is answered instead", spec.requestIdText());
        }
        result.complete(manager.answers().current(spec, stored.response()));
    }

    /** Forgets the outcome (the stored row stays); called when the session ends. */
    void clear() {
        outcome = null;
        sealedShare = null;
        pendingRow = null;
        confirmDigest = null;
    }
}
