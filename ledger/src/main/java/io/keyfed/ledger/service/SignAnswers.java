package io.keyfed.ledger.service;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignAnswer;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.ledger.mapping.Protos;
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.ChainHeadEntity;
import io.keyfed.ledger.model.SignRequestEntity;
import io.keyfed.ledger.model.TxLogEntity;
import io.keyfed.ledger.repository.SignRequestSql;
import io.keyfed.ledger.service.SignRequestService.Change;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Party answers to sign requests ({@code FulfilSignatureRequest}), in two steps, as for key requests.
 *
 * <p>First, without any lock, from the committed state: an unknown request, an outsider, a bad party signature
 * and an answer to a REJECTED request are refused, a repeat of a recorded answer is answered at once, and every
 * signature of a FULFILLED answer is verified under the request's verifying key (a refusal names the party and
 * the message). The snapshot, key and messages of a request never change, REJECTED never changes again and a
 * recorded answer stays recorded, so these checks stay true. The parties of a session answer with the same
 * signatures, which are verified once ({@link VerifiedSignatures}).
 *
 * <p>Then, through the {@link CommitSequencer} in plain SQL ({@link CommitSequencer#submitSql}), under the
 * chain-head lock: the request is read again and the answer applied by {@link SignAnswerRules}, with its fee
 * movement, event and log entry (kind {@value ChainLog#KIND_SIGN_RESPONSE}). Every refusal changes nothing.
 */
@ApplicationScoped
public class SignAnswers {
    private static final Logger LOG = Logger.getLogger(SignAnswers.class);

    private final SignRequestSql requestSql;
    private final Pool pool;
    private final CommitSequencer sequencer;
    private final Balances balances;
    private final ChainLog chainLog;
    private final KeyRequestEvents events;
    private final GenesisService genesis;
    private final LedgerMetrics metrics;
    private final VerifiedSignatures verified;

    public SignAnswers(SignRequestSql requestSql, Pool pool, CommitSequencer sequencer, Balances balances,
            ChainLog chainLog, KeyRequestEvents events, GenesisService genesis, LedgerMetrics metrics,
            VerifiedSignatures verified) {
        this.requestSql = requestSql;
        this.pool = pool;
        this.sequencer = sequencer;
        this.balances = balances;
        this.chainLog = chainLog;
        this.events = events;
        this.genesis = genesis;
        this.metrics = metrics;
        this.verified = verified;
    }

    /** Records one party's signed answer; the result carries the request after it. */
    public Uni<Change> fulfil(PartySignResponse r) {
        return Uni.createFrom().deferred(() -> check(r)).invoke(c -> {
            if (c.height() == 0) {
                LOG.debugf("sign_response: %s", c.outcome());
                return;
            }
            LOG.debugf("height %d sign_response: %s", c.height(), c.outcome());
            if (c.finished()) {
                SignRequestService.logFinal(c.request(), c.traceparent());
                metrics.signFinished(c.request());
            }
        }).onFailure(LedgerException.class).invoke(t -> {
            if (((LedgerException) t).code() == LedgerException.Code.FAILED_PRECONDITION) {
                LOG.debugf("sign response refused: %s", t.getMessage());
            } else {
                LOG.warnf("sign response refused: %s", t.getMessage());
            }
        });
    }

    private Uni<Change> check(PartySignResponse r) {
        LedgerParams params = genesis.params();
        validate(r, params);
        byte[] raw = r.toByteArray();
        PartySignAnswer answer = answerOf(r);
        String what = "sign request " + Long.toUnsignedString(r.getRequestId());
        return requestSql.committedData(pool, r.getRequestId()).map(data -> {
            if (data == null) {
                throw LedgerException.notFound(what + " not found");
            }
            SignRequest req = Protos.parse(SignRequest.parser(), data);
            authorise(req, r, params);
            requireNotRejected(req);
            return req;
        }).chain(committed -> {
            if (SignAnswerRules.repeats(committed, answer)) {
                return Uni.createFrom().item(new Change(committed, 0, what + ": repeated identical answer from party "
                        + r.getPartyAddr() + " ignored", "", false));
            }
            Uni<List<Integer>> verified = r.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED
                    ? offTheEventLoop(() -> verifySignatures(committed, r)) : Uni.createFrom().item(List.of());
            return verified.chain(recoveryIds -> sequencer.submitSql((c, head) -> requestSql.find(c, r.getRequestId())
                    .chain(e -> {
                        long now = System.currentTimeMillis();
                        SignRequest req = SignRequestService.parse(e);
                        if (req.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
                            // Rejected after the first check; returned, not thrown, so its batch need not roll back.
                            return Uni.createFrom().item(new Change(req, -1, what + " is already REJECTED",
                                    e.traceparent, false));
                        }
                        SignAnswerRules.Step step = SignAnswerRules.apply(req, answer, recoveryIds);
                        if (step.effect() == SignAnswerRules.Effect.REPEAT) {
                            return Uni.createFrom().item(new Change(req, 0, step.outcome(), e.traceparent, false));
                        }
                        return record(c, head, e, step, params, raw, r.getPartyAddr(), now)
                                .map(log -> new Change(step.request(), log.height, step.outcome(), e.traceparent,
                                        !SignRequestService.isOpen(step.request().getStatus())
                                                && SignRequestService.isOpen(req.getStatus())));
                    })));
        }).map(c -> {
            if (c.height() < 0) {
                throw LedgerException.precondition(c.outcome());
            }
            return c;
        });
    }

    /** A snapshot party, with its in-token signature over the answer's sign bytes built from the stored request. */
    private static void authorise(SignRequest req, PartySignResponse r, LedgerParams params) {
        String what = "sign request " + Long.toUnsignedString(req.getId());
        KeyringParty party = PartyAuth.party(req.getPartiesList(), r.getPartyAddr(), what
                + " (an answer from a non-party)");
        List<byte[]> messages = req.getMessagesList().stream().map(ByteString::toByteArray).toList();
        byte[] signBytes = SignResponseSignBytes.of(params.chainId(), req.getId(), req.getKeyringAddr(), req.getKeyId(),
                req.getKeyType(), req.getScheme(), req.getVerifyingKey().toByteArray(), SignMessages.hash(messages),
                r.getPartyAddr(), r.getStatus(), r.getSignaturesList().stream().map(ByteString::toByteArray).toList(),
                r.getRejectReason());
        PartyAuth.requireSignature(party, signBytes, r.getSignature().toByteArray(), what);
    }

    /**
     * Runs {@code work} (up to 64 signature checks) on a worker thread when called on the event loop, and continues
     * on the caller's Vert.x context.
     */
    private static <T> Uni<T> offTheEventLoop(Supplier<T> work) {
        Context context = Vertx.currentContext();
        if (context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(work);
        }
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work::get, false).toCompletionStage());
    }

    /**
     * Every signature verifies under the request's key (each distinct set checked once, {@link VerifiedSignatures});
     * INVALID_ARGUMENT naming the party and message otherwise. The item is the recovery ids (ECDSA).
     */
    private List<Integer> verifySignatures(SignRequest req, PartySignResponse r) {
        String what = "sign request " + Long.toUnsignedString(req.getId());
        if (r.getSignaturesCount() != req.getMessagesCount()) {
            throw LedgerException.invalid("party " + r.getPartyAddr() + " sent " + r.getSignaturesCount()
                    + " signatures for the " + req.getMessagesCount() + " messages of " + what);
        }
        VerifiedSignatures.Verdict v = verified.verdict(req, r.getSignaturesList());
        if (!v.verifies()) {
            throw LedgerException.invalid("signatures[" + v.failed() + "] from party " + r.getPartyAddr() + " on "
                    + what + " does not verify (" + SignatureChecks.name(req.getScheme()) + ", message " + v.failed()
                    + ")");
        }
        return v.recoveryIds();
    }

    private static void requireNotRejected(SignRequest req) {
        if (req.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
            throw LedgerException.precondition("sign request " + Long.toUnsignedString(req.getId())
                    + " is already REJECTED");
        }
    }

    static void validate(PartySignResponse r, LedgerParams params) {
        if (r.getRequestId() == 0) {
            throw LedgerException.invalid("request_id is required");
        }
        Inputs.address(r.getPartyAddr(), params.addressPrefix(), "party_addr");
        boolean fulfilled = r.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED;
        if (!fulfilled && r.getStatus() != SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
            throw LedgerException.invalid("status must be SIGN_REQUEST_STATUS_FULFILLED or SIGN_REQUEST_STATUS_REJECTED,"
                    + " got " + r.getStatus());
        }
        if (fulfilled && (r.getSignaturesCount() == 0 || r.getSignaturesCount() > SignRequestService.MAX_MESSAGES)) {
            throw LedgerException.invalid("a FULFILLED answer carries 1.." + SignRequestService.MAX_MESSAGES
                    + " signatures, one per message; has " + r.getSignaturesCount());
        }
        if (!fulfilled && r.getSignaturesCount() != 0) {
            throw LedgerException.invalid("a REJECTED answer carries no signatures; has " + r.getSignaturesCount());
        }
        for (int i = 0; i < r.getSignaturesCount(); i++) {
            if (r.getSignatures(i).size() != SignatureChecks.SIGNATURE_LENGTH) {
                throw LedgerException.invalid("signatures[" + i + "] has " + r.getSignatures(i).size() + " bytes; each is "
                        + SignatureChecks.SIGNATURE_LENGTH);
            }
        }
        Inputs.text(r.getRejectReason(), Inputs.MAX_REASON, "reject_reason");
        if (fulfilled && !r.getRejectReason().isEmpty()) {
            throw LedgerException.invalid("a FULFILLED answer carries no reject_reason");
        }
        if (r.getSignature().size() != 64) {
            throw LedgerException.invalid("signature must be 64 bytes (R||S), has " + r.getSignature().size());
        }
        CanonicalProto.requireNoUnknownFields(r, "PartySignResponse");
    }

    /** What the ledger keeps of an answer: enough for anyone to rebuild its sign bytes and check it. */
    private static PartySignAnswer answerOf(PartySignResponse r) {
        return PartySignAnswer.newBuilder().setCreator(r.getPartyAddr()).setSignature(r.getSignature())
                .setStatus(r.getStatus()).addAllSignatures(r.getSignaturesList()).setRejectReason(r.getRejectReason())
                .build();
    }

    /**
     * Stores the request after {@code step}, with the fee movement of its status change, an event and the log
     * entry. The statements are independent of each other's results, so they go out as one pipeline on the
     * connection; any failure fails the change, and the transaction is rolled back. The item is the log row.
     */
    private Uni<TxLogEntity> record(SqlConnection c, ChainHeadEntity head, SignRequestEntity e,
            SignAnswerRules.Step step, LedgerParams params, byte[] raw, String sender, long now) {
        SignRequest done = step.request();
        SignRequestService.store(e, done);
        long fee = Long.parseLong(done.getFee());
        Uni<Void> moved = switch (step.effect()) {
            case FULFILLED -> balances.transfer(c, params.escrowAddress(), done.getKeyringAddr(), fee);
            case REJECTED -> balances.transfer(c, params.escrowAddress(), done.getCreator(), fee);
            default -> Uni.createFrom().voidItem();
        };
        return Uni.combine().all().unis(requestSql.store(c, e), moved, events.emit(c, done),
                chainLog.append(c, head, ChainLog.KIND_SIGN_RESPONSE, raw, step.outcome(), sender, now))
                .with((stored, paid, emitted, log) -> log);
    }
}
