package io.keyfed.ledger.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.api.ledger.v1.Key;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.ledger.config.SigningConfig;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.SignRequestEntity;
import io.keyfed.ledger.repository.DirectorySql;
import io.keyfed.ledger.repository.KeyRequestSql;
import io.keyfed.ledger.repository.SignRequestRepository;
import io.keyfed.ledger.repository.SignRequestSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Sign-request lifecycle: creation (checks, fee escrow, the key's own snapshot) and deadline expiry; party
 * answers are {@link SignAnswers}'. Fee rule: {@code sig_req_fee × messages} moves from the requester to the
 * escrow address when the request is made; it is released to the keyring's address when the request is
 * FULFILLED, and refunded to the requester when it is REJECTED (by the parties or at the deadline). Once only:
 * a final status never changes.
 *
 * <p>Creation and expiry are applied in plain SQL on the reactive client ({@link CommitSequencer#submitSql}), as
 * party answers are.
 */
@ApplicationScoped
public class SignRequestService {
    private static final Logger LOG = Logger.getLogger(SignRequestService.class);
    public static final int MAX_MESSAGES = 64;

    private final SignRequestRepository requests;
    private final SignRequestSql requestSql;
    private final KeyRequestSql keyRequests;
    private final DirectorySql directory;
    private final WorkspaceService workspaces;
    private final Balances balances;
    private final ChainLog chainLog;
    private final KeyRequestEvents events;
    private final CommitSequencer sequencer;
    private final GenesisService genesis;
    private final SigningConfig config;
    private final LedgerMetrics metrics;

    public SignRequestService(SignRequestRepository requests, SignRequestSql requestSql, KeyRequestSql keyRequests,
            DirectorySql directory, WorkspaceService workspaces, Balances balances, ChainLog chainLog,
            KeyRequestEvents events, CommitSequencer sequencer, GenesisService genesis, SigningConfig config,
            LedgerMetrics metrics) {
        this.requests = requests;
        this.requestSql = requestSql;
        this.keyRequests = keyRequests;
        this.directory = directory;
        this.workspaces = workspaces;
        this.balances = balances;
        this.chainLog = chainLog;
        this.events = events;
        this.sequencer = sequencer;
        this.genesis = genesis;
        this.config = config;
        this.metrics = metrics;
    }

    /** Stateless checks of the message (TxService's validate step). */
    public static void validate(MsgNewSignatureRequest m, LedgerParams params) {
        if (m.getKeyId() == 0) {
            throw LedgerException.invalid("key_id is required");
        }
        if (m.getMessagesCount() == 0 || m.getMessagesCount() > MAX_MESSAGES) {
            throw LedgerException.invalid("messages has " + m.getMessagesCount() + " entries; a sign request carries 1.."
                    + MAX_MESSAGES);
        }
        if (m.getTimeoutSeconds() < 0 || m.getTimeoutSeconds() > params.maxTimeoutSeconds()) {
            throw LedgerException.invalid("timeout_seconds " + Long.toUnsignedString(m.getTimeoutSeconds())
                    + " exceeds the maximum " + params.maxTimeoutSeconds());
        }
        if (!m.getMaxFee().isEmpty()) {
            Inputs.amount(m.getMaxFee(), "max_fee");
        }
    }

    /**
     * MsgNewSignatureRequest inside a transaction, in plain SQL on its connection ({@link CommitSequencer.SqlChange});
     * every refusal throws, and the transaction changes nothing.
     */
    public Uni<Void> create(SqlConnection c, TxContext ctx, MsgNewSignatureRequest m) {
        long keyId = m.getKeyId();
        String keyName = "key " + Long.toUnsignedString(keyId);
        // the key and its request, read in one pipeline
        return Uni.combine().all().unis(requestSql.key(c, keyId), keyRequests.find(c, keyId)).withUni((ke, kre) -> {
            if (kre == null) {
                throw LedgerException.notFound(keyName + " not found");
            }
            KeyRequest origin = Protos.keyRequest(kre);
            if (ke == null) {
                throw LedgerException.precondition(keyName + " is not FULFILLED (its request is "
                        + KeyRequestService.shortStatus(origin.getStatus()) + ")");
            }
            return workspaces.ownedBySender(c, ctx, ke.workspaceAddr)
                    .chain(ws -> directory.keyring(c, ke.keyringAddr))
                    .chain(kr -> persistNew(c, ctx, m, Protos.key(ke), origin, Protos.keyring(kr)));
        });
    }

    private Uni<Void> persistNew(SqlConnection c, TxContext ctx, MsgNewSignatureRequest m, Key key, KeyRequest origin, Keyring k) {
        if (!k.getIsActive()) {
            throw LedgerException.precondition("keyring " + k.getAddress() + " is inactive");
        }
        SignatureScheme scheme = SignatureChecks.scheme(key.getType());
        SignatureChecks.requireSupported(scheme, config.schemes());
        for (int i = 0; i < m.getMessagesCount(); i++) {
            SignatureChecks.checkMessage(scheme, i, m.getMessages(i).toByteArray());
        }
        long perMessage = k.getSigReqFee().isEmpty() ? 0 : Long.parseLong(k.getSigReqFee());
        int count = m.getMessagesCount();
        long fee;
        try {
            fee = Math.multiplyExact(perMessage, (long) count);
        } catch (ArithmeticException e) {
            throw LedgerException.precondition("fee " + perMessage + " urock per message × " + count
                    + " messages overflows the largest amount");
        }
        if (!m.getMaxFee().isEmpty() && fee > Inputs.amount(m.getMaxFee(), "max_fee")) {
            throw LedgerException.precondition("fee " + fee + " urock (" + perMessage + " urock per message × " + count
                    + " messages) exceeds max_fee " + m.getMaxFee());
        }
        byte[] verifyingKey = SignatureChecks.verifyingKey(key.getType(), key.getPublicKey().toByteArray());
        long timeout = m.getTimeoutSeconds() == 0 ? ctx.params.defaultTimeoutSeconds() : m.getTimeoutSeconds();
        long id = ctx.head.nextSignRequestId;
        ctx.head.nextSignRequestId = id + 1;
        SignRequest req = SignRequest.newBuilder()
                .setId(id)
                .setCreator(ctx.sender)
                .setKeyId(key.getId())
                .setWorkspaceAddr(key.getWorkspaceAddr())
                .setKeyringAddr(key.getKeyringAddr())
                .setKeyType(key.getType())
                .setScheme(scheme)
                .addAllMessages(m.getMessagesList())
                .setVerifyingKey(ByteString.copyFrom(verifyingKey))
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .setFee(Long.toString(fee))
                .addAllParties(origin.getPartiesList())
                .setPartyThreshold(origin.getPartyThreshold())
                .setDeadlineUnixMs(Math.addExact(ctx.nowMs, Math.multiplyExact(timeout, 1000L)))
                .setCreatedHeight(ctx.height())
                .build();
        SignRequestEntity e = new SignRequestEntity();
        e.id = id;
        e.keyId = req.getKeyId();
        e.workspaceAddr = req.getWorkspaceAddr();
        e.keyringAddr = req.getKeyringAddr();
        e.status = req.getStatusValue();
        e.deadlineUnixMs = req.getDeadlineUnixMs();
        e.data = req.toByteArray();
        e.traceparent = ctx.traceparent;
        ctx.signRequestId = id;
        ctx.outcome = "sign request " + id + " created (key " + key.getId() + ", " + SignatureChecks.name(scheme) + ", "
                + count + " messages, keyring " + k.getAddress() + ", fee " + fee + " urock escrowed)";
        // one pipeline: a refused fee fails the change, and its transaction is rolled back
        return Uni.combine().all().unis(balances.transfer(c, ctx.sender, ctx.params.escrowAddress(), fee),
                requestSql.insert(c, e), events.emit(c, req)).discardItems();
    }

    /** A sign request as stored, parsed. */
    static SignRequest parse(SignRequestEntity e) {
        return Protos.parse(SignRequest.parser(), e.data);
    }

    /** Stores {@code req} (after a change) on its row. */
    static void store(SignRequestEntity e, SignRequest req) {
        e.status = req.getStatusValue();
        e.data = req.toByteArray();
    }

    static boolean isOpen(SignRequestStatus s) {
        return s == SignRequestStatus.SIGN_REQUEST_STATUS_PENDING || s == SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL;
    }

    static String shortStatus(SignRequestStatus s) {
        return s.name().substring("SIGN_REQUEST_STATUS_".length());
    }

    /** Logs the INFO outcome line of a request that became final. */
    static void logFinal(SignRequest req, String traceparent) {
        String id = Long.toUnsignedString(req.getId());
        String trace = TraceContext.traceId(traceparent);
        TraceContext.outcome(LOG, id, trace, "sign request " + id + " final status " + shortStatus(req.getStatus())
                + " (" + SignatureChecks.name(req.getScheme()) + ", trace " + (trace.isEmpty() ? "none" : trace) + ")");
    }

    /**
     * A change of a sign request, for logging after commit: height 0 for an ignored repeat. {@code finished}:
     * this change made the request final.
     */
    public record Change(SignRequest request, long height, String outcome, String traceparent, boolean finished) {
    }

    /**
     * Rejects one request whose deadline passed and refunds its fee, through the {@link CommitSequencer} in plain SQL. Re-checks
     * status and deadline under the chain-head lock, so replicas sweeping at once reject it only once. Null when
     * there was nothing to do.
     */
    public Uni<Change> expire(long id) {
        LedgerParams params = genesis.params();
        return sequencer.submitSql((c, head) -> requestSql.find(c, id).chain(e -> {
            long now = System.currentTimeMillis();
            if (e == null || !isOpen(SignRequestStatus.forNumber(e.status)) || e.deadlineUnixMs >= now) {
                return Uni.createFrom().<Change>nullItem();
            }
            SignRequest done = parse(e).toBuilder().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED)
                    .setRejectReason(KeyRequestService.DEADLINE_EXCEEDED).build();
            store(e, done);
            String outcome = "sign request " + id + " rejected: " + KeyRequestService.DEADLINE_EXCEEDED
                    + ", fee refunded to " + done.getCreator();
            byte[] raw = new CanonicalWriter("keyfed/sign-timeout/v1").u64(id).toByteArray();
            // one pipeline: the row, the refund, the event and the log entry
            return Uni.combine().all().unis(requestSql.store(c, e),
                    balances.transfer(c, params.escrowAddress(), done.getCreator(), Long.parseLong(done.getFee())),
                    events.emit(c, done), chainLog.append(c, head, ChainLog.KIND_SIGN_TIMEOUT, raw, outcome, "", now))
                    .with((stored, refunded, emitted, log) -> new Change(done, log.height, outcome, e.traceparent, true));
        })).invoke(c -> {
            if (c != null) {
                LOG.debugf("height %d sign_timeout: %s", c.height(), c.outcome());
                logFinal(c.request(), c.traceparent());
                metrics.signFinished(c.request());
            }
        });
    }

    public Uni<List<Long>> expiredIds(int limit) {
        return Panache.withSession(() -> requests.expiredOpenIds(System.currentTimeMillis(), limit));
    }
}
