package io.keyfed.ledger.service;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jboss.logging.Logger;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Keyring;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.MsgNewKeyRequest;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.KeyRequestEntity;
import io.keyfed.ledger.repository.DirectorySql;
import io.keyfed.ledger.repository.KeyRequestRepository;
import io.keyfed.ledger.repository.KeyRequestSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Key-request lifecycle: creation (escrowing the keyring's fee), party responses and deadline expiry.
 *
 * <p>Fee rule: the key_req_fee moves from the requester to the escrow address when the request is
 * made; on FULFILLED it is released to the balance row of the keyring's address; on REJECTED (by a
 * party, because no key can still reach the threshold, or by the deadline) it is refunded to the requester.
 * Answers after FULFILLED (holder attestations, non-holders, faults) move no fee.
 */
@ApplicationScoped
public class KeyRequestService {
    private static final Logger LOG = Logger.getLogger(KeyRequestService.class);
    public static final String DEADLINE_EXCEEDED = "deadline exceeded";

    private final KeyRequestRepository requests;
    private final KeyRequestSql requestSql;
    private final KeyRequestWrites writes;
    private final DirectorySql directory;
    private final CommitSequencer sequencer;
    private final Pool pool;
    private final WorkspaceService workspaces;
    private final Balances balances;
    private final ChainLog chainLog;
    private final KeyRequestEvents events;
    private final GenesisService genesis;
    private final LedgerMetrics metrics;

    public KeyRequestService(KeyRequestRepository requests, KeyRequestSql requestSql, DirectorySql directory,
            KeyRequestWrites writes, CommitSequencer sequencer, Pool pool, WorkspaceService workspaces, Balances balances, ChainLog chainLog,
            KeyRequestEvents events, GenesisService genesis, LedgerMetrics metrics) {
        this.requests = requests;
        this.requestSql = requestSql;
        this.directory = directory;
        this.writes = writes;
        this.sequencer = sequencer;
        this.pool = pool;
        this.workspaces = workspaces;
        this.balances = balances;
        this.chainLog = chainLog;
        this.events = events;
        this.genesis = genesis;
        this.metrics = metrics;
    }

    public static void validate(MsgNewKeyRequest m, LedgerParams params) {
        Inputs.address(m.getWorkspaceAddr(), Addresses.WORKSPACE_PREFIX, "workspace_addr");
        Inputs.address(m.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        Inputs.keyType(m.getKeyType());
        if (m.getTimeoutSeconds() < 0 || m.getTimeoutSeconds() > params.maxTimeoutSeconds()) {
            throw LedgerException.invalid("timeout_seconds " + Long.toUnsignedString(m.getTimeoutSeconds())
                    + " exceeds the maximum " + params.maxTimeoutSeconds());
        }
    }

    /**
     * MsgNewKeyRequest inside a transaction, in plain SQL on its connection ({@link CommitSequencer.SqlChange}):
     * owner check, active keyring, then the fee escrow, the request row with its party snapshot and its event.
     */
    public Uni<Void> create(SqlConnection c, TxContext ctx, MsgNewKeyRequest m) {
        KeyType type = Inputs.keyType(m.getKeyType());
        return workspaces.ownedBySender(c, ctx, m.getWorkspaceAddr())
                .chain(ws -> directory.keyring(c, m.getKeyringAddr()))
                .chain(kr -> {
                    if (kr == null) {
                        throw LedgerException.notFound("keyring " + m.getKeyringAddr() + " not found");
                    }
                    Keyring k = Protos.keyring(kr);
                    if (!k.getIsActive()) {
                        throw LedgerException.precondition("keyring " + k.getAddress() + " is inactive");
                    }
                    long fee = Long.parseLong(k.getKeyReqFee());
                    long timeout = m.getTimeoutSeconds() == 0 ? ctx.params.defaultTimeoutSeconds() : m.getTimeoutSeconds();
                    long id = ctx.head.nextRequestId;
                    ctx.head.nextRequestId = id + 1;
                    KeyRequest req = KeyRequest.newBuilder()
                            .setId(id)
                            .setCreator(ctx.sender)
                            .setWorkspaceAddr(m.getWorkspaceAddr())
                            .setKeyringAddr(k.getAddress())
                            .setKeyType(type)
                            .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                            .setFee(Long.toString(fee))
                            .setDeadlineUnixMs(Math.addExact(ctx.nowMs, Math.multiplyExact(timeout, 1000L)))
                            .addAllParties(k.getPartiesList())
                            .setPartyThreshold(k.getPartyThreshold())
                            .setCreatedHeight(ctx.height())
                            .build();
                    KeyRequestEntity e = new KeyRequestEntity();
                    e.id = id;
                    e.workspaceAddr = req.getWorkspaceAddr();
                    e.keyringAddr = req.getKeyringAddr();
                    e.status = req.getStatusValue();
                    e.deadlineUnixMs = req.getDeadlineUnixMs();
                    e.data = req.toByteArray();
                    e.traceparent = ctx.traceparent;
                    ctx.keyRequestId = id;
                    ctx.outcome = "key request " + id + " created (" + m.getKeyType() + ", keyring " + k.getAddress()
                            + ", fee " + fee + " urock escrowed)";
                    // one pipeline: a refused fee fails the change, and its transaction is rolled back
                    return Uni.combine().all().unis(balances.transfer(c, ctx.sender, ctx.params.escrowAddress(), fee),
                            requestSql.insert(c, e), events.emit(c, req)).discardItems();
                });
    }

    /**
     * Result of a party response, for logging after commit: height 0 for an ignored repeat, and -1
     * (inside this class only) for an answer found too late under the lock. {@code finished}: this change
     * made the request final.
     */
    public record Fulfilment(KeyRequest request, long height, String outcome, String traceparent, boolean finished) {
    }

    /**
     * Records one party's signed answer, in two steps; the rules are {@link AnswerRules}'.
     *
     * <p>First, without any lock, from the committed state: an unknown request, an outsider, an answer for
     * another session, a bad signature, an invalid key and an answer to a REJECTED request are refused, and
     * the repeat of an answer already on a FULFILLED request is answered at once. The parties, threshold and
     * key type of a request never change after its creation, REJECTED never changes again, and a recorded
     * answer stays recorded, so these checks stay true; connector retries thus cost one read and no lock.
     *
     * <p>Then, through the {@link CommitSequencer} in plain SQL ({@link CommitSequencer#submitSql}), under the
     * chain-head lock: the request is read again and
     * the answer applied (a status change, a holder attestation, a non-holder, a fault) or found repeated or
     * too late. Every refusal changes nothing.
     */
    public Uni<Fulfilment> fulfil(PartyResponse r) {
        return Uni.createFrom().deferred(() -> check(r)).map(f -> new Fulfilment(
                HolderView.shown(f.request(), System.currentTimeMillis()), f.height(), f.outcome(), f.traceparent(),
                f.finished())).invoke(f -> {
            if (f.height() == 0) {
                metrics.answerDuplicate();
                return;
            }
            metrics.answerAccepted();
            if (f.finished()) {
                metrics.finished(f.request(), System.currentTimeMillis());
            }
        }).onFailure().invoke(metrics::answerRefused);
    }

    private Uni<Fulfilment> check(PartyResponse r) {
        LedgerParams params = genesis.params();
        validate(r, params);
        byte[] raw = r.toByteArray();
        PartySignature sig = signatureOf(r);
        return requestSql.committedData(pool, r.getRequestId())
                .map(data -> {
                    if (data == null) {
                        throw LedgerException.notFound("key request " + Long.toUnsignedString(r.getRequestId()) + " not found");
                    }
                    KeyRequest req = Protos.parse(KeyRequest.parser(), data);
                    authorise(req, r, params);
                    if (r.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED) {
                        validateKey(req.getKeyType(), r.getPublicKey().toByteArray());
                    }
                    requireNotRejected(req);
                    return req;
                })
                .chain(committed -> {
                    if (committed.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                            && AnswerRules.repeats(committed, sig)) {
                        return Uni.createFrom().item(new Fulfilment(committed, 0, "key request " + committed.getId()
                                + ": repeated identical response from party " + r.getPartyAddr() + " ignored", "", false));
                    }
                    return sequencer.submitSql((c, head) -> requestSql.find(c, r.getRequestId()).chain(e -> {
                        long now = System.currentTimeMillis();
                        KeyRequest req = Protos.keyRequest(e);
                        if (req.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
                            // Rejected after the first check (an earlier change, maybe of the same batch).
                            // Returned, not thrown, so that the batch it is in need not be rolled back.
                            return Uni.createFrom().item(new Fulfilment(req, -1, "key request " + req.getId()
                                    + " is already REJECTED", e.traceparent, false));
                        }
                        AnswerRules.Step step = AnswerRules.apply(req, sig);
                        if (step.effect() == AnswerRules.Effect.REPEAT) {
                            // Connectors retry: the very same answer again changes nothing and is not logged.
                            return Uni.createFrom().item(new Fulfilment(req, 0, step.outcome(), e.traceparent, false));
                        }
                        return writes.record(c, head, e, step, params, raw, r.getPartyAddr(), now)
                                .map(log -> new Fulfilment(step.request(), log.height, step.outcome(), e.traceparent,
                                        isFinal(step.request().getStatus()) && !isFinal(req.getStatus())));
                    }));
                })
                .map(f -> {
                    if (f.height() < 0) {
                        throw LedgerException.precondition(f.outcome());
                    }
                    return f;
                })
                .invoke(f -> {
                    if (f.height() == 0) {
                        LOG.debugf("party_response: %s", f.outcome());
                    } else {
                        LOG.debugf("height %d party_response: %s", f.height(), f.outcome());
                        if (f.finished()) {
                            OutcomeLog.finalStatus(f);
                        }
                    }
                })
                .onFailure(LedgerException.class).invoke(t -> {
                    if (((LedgerException) t).code() == LedgerException.Code.FAILED_PRECONDITION) {
                        // an answer after the request was rejected: routine
                        LOG.debugf("party response refused: %s", t.getMessage());
                    } else {
                        LOG.warnf("party response refused: %s", t.getMessage());
                    }
                });
    }

    /** The sender must be a party of the request, and the signature its in-token signature over the answer. */
    private static void authorise(KeyRequest req, PartyResponse r, LedgerParams params) {
        KeyringParty party = PartyAuth.party(req.getPartiesList(), r.getPartyAddr(), "key request " + req.getId());
        byte[] sessionId = sessionId(params, req);
        if (!Arrays.equals(sessionId, r.getSessionId().toByteArray())) {
            throw LedgerException.denied("party " + r.getPartyAddr() + " answered key request " + req.getId()
                    + " for another session (session_id " + HexFormat.of().formatHex(r.getSessionId().toByteArray())
                    + ", the request's is " + HexFormat.of().formatHex(sessionId)
                    + "): another party list, threshold, keyring, key type or chain");
        }
        byte[] signBytes = PartyResponseSignBytes.of(params.chainId(), req.getId(), req.getKeyringAddr(),
                req.getKeyType(), r.getPartyAddr(), r.getStatus(), r.getPublicKey().toByteArray(),
                r.getRejectReason(), sessionId);
        PartyAuth.requireSignature(party, signBytes, r.getSignature().toByteArray(), "key request " + req.getId());
    }

    /** The request's DKG session id, derived from the request as stored (its snapshot and threshold). */
    static byte[] sessionId(LedgerParams params, KeyRequest req) {
        return DkgSessionId.derive(params.chainId(), req.getId(), req.getKeyringAddr(), req.getKeyTypeValue(),
                req.getPartiesList().stream().map(KeyringParty::getAddress).toList(), req.getPartyThreshold());
    }

    private static void requireNotRejected(KeyRequest req) {
        if (req.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            throw LedgerException.precondition("key request " + req.getId() + " is already REJECTED");
        }
    }

    private static void validate(PartyResponse r, LedgerParams params) {
        if (r.getRequestId() == 0) {
            throw LedgerException.invalid("request_id is required");
        }
        Inputs.address(r.getPartyAddr(), params.addressPrefix(), "party_addr");
        if (r.getStatus() != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                && r.getStatus() != KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            throw LedgerException.invalid("status must be KEY_REQUEST_STATUS_FULFILLED or KEY_REQUEST_STATUS_REJECTED, got "
                    + r.getStatus());
        }
        Inputs.text(r.getRejectReason(), Inputs.MAX_REASON, "reject_reason");
        if (r.getPublicKey().size() > 64) {
            throw LedgerException.invalid("public_key has " + r.getPublicKey().size() + " bytes, at most 64 allowed");
        }
        if (r.getSessionId().size() != DkgSessionId.LENGTH) {
            throw LedgerException.invalid("session_id must be " + DkgSessionId.LENGTH + " bytes, has "
                    + r.getSessionId().size());
        }
        if (r.getSignature().size() != 64) {
            throw LedgerException.invalid("signature must be 64 bytes (R||S), has " + r.getSignature().size());
        }
        CanonicalProto.requireNoUnknownFields(r, "PartyResponse");
    }

    /** What the ledger keeps of an answer: enough for anyone to rebuild its sign bytes and check it. */
    private static PartySignature signatureOf(PartyResponse r) {
        return PartySignature.newBuilder().setCreator(r.getPartyAddr()).setSignature(r.getSignature())
                .setStatus(r.getStatus()).setPublicKey(r.getPublicKey()).setRejectReason(r.getRejectReason())
                .setSessionId(r.getSessionId()).build();
    }

    /**
     * secp256k1 (ecdsa, bitcoin, taproot): 33-byte compressed point on the curve; ed25519: valid 32-byte
     * point, not of small order.
     */
    static void validateKey(KeyType type, byte[] key) {
        switch (type) {
            case KEY_TYPE_ECDSA_SECP256K1, KEY_TYPE_BITCOIN_SECP256K1, KEY_TYPE_BITCOIN_TAPROOT ->
                Inputs.secp256k1Key(key, "public_key");
            case KEY_TYPE_EDDSA_ED25519 -> {
                if (key.length != 32 || !Ed25519.validatePublicKeyFull(key, 0)) {
                    throw LedgerException.invalid("public_key is not a valid 32-byte ed25519 point of prime order");
                }
            }
            default -> throw LedgerException.invalid("request has no key type");
        }
    }

    /**
     * Rejects one request whose deadline passed, through the {@link CommitSequencer}. Re-checks status and
     * deadline under the chain-head lock, so replicas sweeping at once reject it only once.
     */
    public Uni<Fulfilment> expire(long id) {
        LedgerParams params = genesis.params();
        return sequencer.submitSql((c, head) -> requestSql.find(c, id).chain(e -> {
            long now = System.currentTimeMillis();
            if (e == null || (e.status != KeyRequestStatus.KEY_REQUEST_STATUS_PENDING_VALUE
                    && e.status != KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL_VALUE) || e.deadlineUnixMs >= now) {
                return Uni.createFrom().<Fulfilment>nullItem();
            }
            KeyRequest req = Protos.keyRequest(e);
            String outcome = "key request " + id + " rejected: " + DEADLINE_EXCEEDED + ", fee refunded to " + req.getCreator();
            byte[] raw = new CanonicalWriter("keyfed/timeout/v1").u64(id).toByteArray();
            KeyRequest done = req.toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED)
                    .setRejectReason(DEADLINE_EXCEEDED).build();
            return writes.reject(c, head, e, done, params, raw, outcome, now)
                    .map(log -> new Fulfilment(done, log.height, outcome, e.traceparent, true));
        })).invoke(f -> {
            if (f != null) {
                LOG.debugf("height %d timeout: %s", f.height(), f.outcome());
                metrics.finished(f.request(), System.currentTimeMillis());
                OutcomeLog.finalStatus(f);
            }
        });
    }

    public Uni<List<Long>> expiredIds(int limit) {
        return Panache.withSession(() -> requests.expiredOpenIds(System.currentTimeMillis(), limit));
    }

    static boolean isFinal(KeyRequestStatus s) {
        return s == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED || s == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED;
    }

    static String shortStatus(KeyRequestStatus s) {
        return s.name().substring("KEY_REQUEST_STATUS_".length());
    }
}
