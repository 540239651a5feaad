package io.keyfed.connector.forward;

import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.MutinyPartyGrpc;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.keyfed.connector.metrics.KindMetrics;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Key requests: {@code Ledger.WatchKeyRequests} (PENDING and PARTIAL), {@code Party.Keygen},
 * {@code Ledger.FulfilKeyRequest}.
 */
@ApplicationScoped
public class KeyRequestKind implements RequestKind<KeyRequestEvent, KeyRequest, PartyResponse> {

    private final MutinyPartyGrpc.MutinyPartyStub party;
    private final MutinyLedgerGrpc.MutinyLedgerStub ledger;
    private final KindMetrics metrics;

    public KeyRequestKind(@GrpcClient("party") MutinyPartyGrpc.MutinyPartyStub party,
            @GrpcClient("ledger") MutinyLedgerGrpc.MutinyLedgerStub ledger, ConnectorMetrics metrics) {
        this.party = party;
        this.ledger = ledger;
        this.metrics = metrics.keys();
    }

    @Override
    public String label() {
        return "key";
    }

    @Override
    public String partyCall() {
        return "Keygen";
    }

    @Override
    public String ledgerCall() {
        return "FulfilKeyRequest";
    }

    @Override
    public KindMetrics metrics() {
        return metrics;
    }

    @Override
    public Multi<KeyRequestEvent> watch(String keyringAddr, long cursor) {
        return ledger.watchKeyRequests(WatchKeyRequestsRequest.newBuilder()
                .setKeyringAddr(keyringAddr)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING)
                .addStatuses(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .setCursor(cursor)
                .build());
    }

    @Override
    public long cursor(KeyRequestEvent event) {
        return event.getCursor();
    }

    @Override
    public KeyRequest request(KeyRequestEvent event) {
        return event.getRequest();
    }

    @Override
    public String traceparent(KeyRequestEvent event) {
        return event.getTraceparent();
    }

    @Override
    public long id(KeyRequest request) {
        return request.getId();
    }

    @Override
    public long deadlineMillis(KeyRequest request) {
        return request.getDeadlineUnixMs();
    }

    @Override
    public ForwardDecision decide(KeyRequest request, String keyringAddr, String partyAddr, long nowMillis) {
        return ForwardDecision.decide(request, keyringAddr, partyAddr, nowMillis);
    }

    @Override
    public Uni<PartyResponse> ask(KeyRequest request, String chainId, String traceparent, long remainingMillis) {
        KeygenRequest keygen = KeygenRequest.newBuilder().setChainId(chainId).setRequest(request)
                .setTraceparent(traceparent).build();
        return party.withDeadlineAfter(remainingMillis, TimeUnit.MILLISECONDS).keygen(keygen)
                .onItem().transform(KeygenResponse::getResponse);
    }

    @Override
    public String check(KeyRequest request, PartyResponse answer, String partyAddr) {
        return checkAnswer(request, answer, partyAddr);
    }

    /** The connector trusts nothing it relays, but it refuses to relay an answer that cannot be this one. */
    static String checkAnswer(KeyRequest request, PartyResponse answer, String partyAddress) {
        if (answer.getRequestId() != request.getId()) {
            return "answer is for request " + answer.getRequestId();
        }
        if (!answer.getPartyAddr().equals(partyAddress)) {
            return "answer is from " + answer.getPartyAddr() + ", not from " + partyAddress;
        }
        KeyRequestStatus status = answer.getStatus();
        if (status != KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED
                && status != KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED) {
            return "answer status is " + status;
        }
        if (answer.getSignature().isEmpty()) {
            return "answer is not signed";
        }
        return null;
    }

    @Override
    public Uni<String> fulfil(PartyResponse answer, long remainingMillis) {
        return ledger.withDeadlineAfter(remainingMillis, TimeUnit.MILLISECONDS).fulfilKeyRequest(answer)
                .onItem().transform(after -> shortStatus(after.getStatus().name()));
    }

    @Override
    public boolean fulfilled(PartyResponse answer) {
        return answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED;
    }

    @Override
    public String describe(PartyResponse answer) {
        return shortStatus(answer.getStatus().name())
                + (answer.getRejectReason().isEmpty() ? "" : " (party: " + answer.getRejectReason() + ")");
    }

    /** The status name without its enum prefix ("PENDING" for KEY_REQUEST_STATUS_PENDING). */
    static String shortStatus(String name) {
        int at = name.indexOf("_STATUS_");
        return at < 0 ? name : name.substring(at + "_STATUS_".length());
    }
}
