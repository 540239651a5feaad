package io.keyfed.ledger.service;

import java.util.List;

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
import io.keyfed.ledger.metrics.LedgerMetrics;
import io.keyfed.ledger.model.SignRequestEntity;
import io.keyfed.ledger.repository.SignRequestRepository;
import io.keyfed.ledger.service.SignRequestService.Change;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Party answers to sign requests ({@code FulfilSignatureRequest}), in two steps, as for key requests.
 *
 * <p>First, without any lock, from the committed state: an unknown request, an outsider, a bad party signature
 * and an answer to a REJECTED request are refused, a repeat of a recorded answer is answered at once, and every
 * signature of a FULFILLED answer is verified under the request's verifying key (a refusal names the party and
 * the message). The snapshot, key and messages of a request never change, REJECTED never changes again and a
 * recorded answer stays recorded, so these checks stay true.
 *
 * <p>Then, through the {@link CommitSequencer}, under the chain-head lock: the request is read again and the
 * answer applied by {@link SignAnswerRules}, with its fee movement, event and log entry (kind
 * {@value ChainLog#KIND_SIGN_RESPONSE}). Every refusal changes nothing.
 */
@ApplicationScoped
public class SignAnswers {
    private static final Logger LOG = Logger.getLogger(SignAnswers.class);

    private final SignRequestRepository requests;
    private final CommitSequencer sequencer;
    private final Balances balances;
    private final ChainLog chainLog;
    private final KeyRequestEvents events;
    private final GenesisService genesis;
    private final LedgerMetrics metrics;

    public SignAnswers(SignRequestRepository requests, CommitSequencer sequencer, Balances balances, ChainLog chainLog,
            KeyRequestEvents events, GenesisService genesis, LedgerMetrics metrics) {
        this.requests = requests;
        this.sequencer = sequencer;
        this.balances = balances;
        this.chainLog = chainLog;
        this.events = events;
        this.genesis = genesis;
        this.metrics = metrics;
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
        return Panache.withSession(() -> requests.findById(r.getRequestId())).map(e -> {
            if (e == null) {
                throw LedgerException.notFound(what + " not found");
            }
            SignRequest req = SignRequestService.parse(e);
            authorise(req, r, params);
            requireNotRejected(req);
            return req;
        }).chain(committed -> {
            if (SignAnswerRules.repeats(committed, answer)) {
                return Uni.createFrom().item(new Change(committed, 0, what + ": repeated identical answer from party "
                        + r.getPartyAddr() + " ignored", "", false));
            }
            List<Integer> recoveryIds = r.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED
                    ? verifySignatures(committed, r) : List.of();
            return sequencer.submit(head -> requests.findById(r.getRequestId()).chain(e -> {
                long now = System.currentTimeMillis();
                SignRequest req = SignRequestService.parse(e);
                if (req.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
                    // Rejected after the first check; returned, not thrown, so its batch need not roll back.
                    return Uni.createFrom().item(new Change(req, -1, what + " is already REJECTED", e.traceparent, false));
                }
                SignAnswerRules.Step step = SignAnswerRules.apply(req, answer, recoveryIds);
                if (step.effect() == SignAnswerRules.Effect.REPEAT) {
                    return Uni.createFrom().item(new Change(req, 0, step.outcome(), e.traceparent, false));
                }
                return record(e, step, params)
                        .chain(() -> chainLog.append(head, ChainLog.KIND_SIGN_RESPONSE, raw, step.outcome(),
                                r.getPartyAddr(), now))
                        .map(log -> new Change(step.request(), log.height, step.outcome(), e.traceparent,
                                !SignRequestService.isOpen(step.request().getStatus())
                                        && SignRequestService.isOpen(req.getStatus())));
            }));
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

    /** Every signature verifies under the request's key; INVALID_ARGUMENT naming the party and message otherwise. */
    private static List<Integer> verifySignatures(SignRequest req, PartySignResponse r) {
        String what = "sign request " + Long.toUnsignedString(req.getId());
        if (r.getSignaturesCount() != req.getMessagesCount()) {
            throw LedgerException.invalid("party " + r.getPartyAddr() + " sent " + r.getSignaturesCount()
                    + " signatures for the " + req.getMessagesCount() + " messages of " + what);
        }
        byte[] key = req.getVerifyingKey().toByteArray();
        for (int i = 0; i < req.getMessagesCount(); i++) {
            if (!SignatureChecks.verifies(req.getScheme(), key, req.getMessages(i).toByteArray(),
                    r.getSignatures(i).toByteArray())) {
                throw LedgerException.invalid("signatures[" + i + "] from party " + r.getPartyAddr() + " on " + what
                        + " does not verify (" + SignatureChecks.name(req.getScheme()) + ", message " + i + ")");
            }
        }
        return SignatureChecks.recoveryIds(req.getScheme(), key,
                req.getMessagesList().stream().map(ByteString::toByteArray).toList(),
                r.getSignaturesList().stream().map(ByteString::toByteArray).toList());
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

    /** Stores the request after {@code step}, with the fee movement of its status change and an event. */
    private Uni<Void> record(SignRequestEntity e, SignAnswerRules.Step step, LedgerParams params) {
        SignRequest done = step.request();
        SignRequestService.store(e, done);
        long fee = Long.parseLong(done.getFee());
        Uni<Void> moved = switch (step.effect()) {
            case FULFILLED -> balances.transfer(params.escrowAddress(), done.getKeyringAddr(), fee);
            case REJECTED -> balances.transfer(params.escrowAddress(), done.getCreator(), fee);
            default -> Uni.createFrom().voidItem();
        };
        return moved.chain(() -> events.emit(done));
    }
}
