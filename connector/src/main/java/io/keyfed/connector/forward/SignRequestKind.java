package io.keyfed.connector.forward;

import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.api.party.v1.SigningAnswer;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.keyfed.connector.metrics.KindMetrics;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Sign requests: {@code Ledger.WatchSignRequests} (PENDING and PARTIAL: the open states),
 * {@code Party.Sign}, {@code Ledger.FulfilSignatureRequest}.
 *
 * <p>The party's FAILED_PRECONDITION (the call differs from the ledger's copy, or the request is final there) and
 * NOT_FOUND (the ledger does not hold it) are final refusals: not retried, counted as rejected. The ledger's
 * FAILED_PRECONDITION or ALREADY_EXISTS to FulfilSignatureRequest means already final or already answered, as
 * for key requests.
 */
@ApplicationScoped
public class SignRequestKind implements RequestKind<SignRequestEvent, SignRequest, PartySignResponse> {

    /** Length of each signature of a FULFILLED answer (R||S or R_x||s). */
    static final int SIGNATURE_LENGTH = 64;

    private final MutinyPartyGrpc.MutinyPartyStub party;
    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    private final KindMetrics metrics;

    public SignRequestKind(@GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party,
            @GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger, ConnectorMetrics metrics) {
        this.party = party;
        this.ledger = ledger;
        this.metrics = metrics.signs();
    }

    @Override
    public String label() {
        return "sign";
    }

    @Override
    public String partyCall() {
        return "Sign";
    }

    @Override
    public String ledgerCall() {
        return "FulfilSignatureRequest";
    }

    @Override
    public KindMetrics metrics() {
        return metrics;
    }

    @Override
    public Multi<SignRequestEvent> watch(String keyringAddr, long cursor) {
        return ledger.watchSignRequests(WatchSignRequestsRequest.newBuilder()
                .setKeyringAddr(keyringAddr)
                .addStatuses(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .addStatuses(SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL)
                .setCursor(cursor)
                .build());
    }

    @Override
    public long cursor(SignRequestEvent event) {
        return event.getCursor();
    }

    @Override
    public SignRequest request(SignRequestEvent event) {
        return event.getRequest();
    }

    @Override
    public String traceparent(SignRequestEvent event) {
        return event.getTraceparent();
    }

    @Override
    public long id(SignRequest request) {
        return request.getId();
    }

    @Override
    public long deadlineMillis(SignRequest request) {
        return request.getDeadlineUnixMs();
    }

    @Override
    public ForwardDecision decide(SignRequest request, String keyringAddr, String partyAddr, long nowMillis) {
        return ForwardDecision.decide(request, keyringAddr, partyAddr, nowMillis);
    }

    @Override
    public Uni<PartySignResponse> ask(SignRequest request, String chainId, String traceparent,
            long remainingMillis) {
        SigningCall call = SigningCall.newBuilder().setChainId(chainId).setRequest(request)
                .setTraceparent(traceparent).build();
        return party.withDeadlineAfter(remainingMillis, TimeUnit.MILLISECONDS).sign(call)
                .onItem().transform(SigningAnswer::getResponse);
    }

    @Override
    public String check(SignRequest request, PartySignResponse answer, String partyAddr) {
        return checkAnswer(request, answer, partyAddr);
    }

    /** The connector trusts nothing it relays, but it refuses to relay an answer that cannot be this one. */
    static String checkAnswer(SignRequest request, PartySignResponse answer, String partyAddress) {
        if (answer.getRequestId() != request.getId()) {
            return "answer is for sign request " + answer.getRequestId();
        }
        if (!answer.getPartyAddr().equals(partyAddress)) {
            return "answer is from " + answer.getPartyAddr() + ", not from " + partyAddress;
        }
        SignRequestStatus status = answer.getStatus();
        if (status == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED) {
            if (answer.getSignaturesCount() != request.getMessagesCount()) {
                return "answer has " + answer.getSignaturesCount() + " signatures for " + request.getMessagesCount()
                        + " messages";
            }
            for (int i = 0; i < answer.getSignaturesCount(); i++) {
                if (answer.getSignatures(i).size() != SIGNATURE_LENGTH) {
                    return "signature " + i + " is " + answer.getSignatures(i).size() + " bytes, not "
                            + SIGNATURE_LENGTH;
                }
            }
        } else if (status != SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED) {
            return "answer status is " + status;
        }
        if (answer.getSignature().isEmpty()) {
            return "answer is not signed";
        }
        return null;
    }

    @Override
    public Uni<String> fulfil(PartySignResponse answer, long remainingMillis) {
        return ledger.withDeadlineAfter(remainingMillis, TimeUnit.MILLISECONDS).fulfilSignatureRequest(answer)
                .onItem().transform(after -> KeyRequestKind.shortStatus(after.getStatus().name()));
    }

    @Override
    public boolean fulfilled(PartySignResponse answer) {
        return answer.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED;
    }

    @Override
    public String describe(PartySignResponse answer) {
        return KeyRequestKind.shortStatus(answer.getStatus().name())
                + (answer.getRejectReason().isEmpty() ? "" : " (party: " + answer.getRejectReason() + ")");
    }

    /** Only the ledger's FAILED_PRECONDITION / ALREADY_EXISTS means done; the party's is a refusal, counted. */
    @Override
    public boolean alreadyDone(DeadlineRetry.Stopped stop) {
        return stop.kind() == FailureKind.DONE && stop.call().equals(ledgerCall());
    }
}
