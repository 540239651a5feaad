package io.keyfed.e2e;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.SigningCall;

/**
 * A compromised connector: {@code Party.Sign} calls to its own party over mutual TLS with the connector's
 * certificate and key from the run's TLS directory (what the party accepts Sign from), carrying requests the
 * test made up or altered. Reads the ledger's copy of a request over gRPC with the same identity.
 */
final class ForgedSigningCalls implements AutoCloseable {
    /** What a party may answer a Sign call for a request the ledger does not hold as given. */
    static final Set<Status.Code> REFUSALS = Set.of(Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION);

    private final ManagedChannel party;
    private final ManagedChannel ledger;

    ForgedSigningCalls(Federation fed, Federation.Party target) {
        java.nio.file.Path cert = fed.tlsFile("connector-" + target.address + ".crt");
        java.nio.file.Path key = fed.tlsFile("connector-" + target.address + ".key");
        this.party = Tls.channel(target.port, fed.caFile(), cert, key);
        this.ledger = Tls.channel(fed.ledgerPort, fed.caFile(), cert, key);
    }

    /** The ledger's own copy of sign request {@code id}, as WatchSignRequests streams it. */
    SignRequest ledgerCopy(long id) {
        return LedgerGrpc.newBlockingStub(ledger).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getSignRequest(SignRequestByIdRequest.newBuilder().setId(id).build());
    }

    /**
     * A pending request the ledger does not hold: the ledger's copy of {@code template} (a real request) under
     * the new {@code id}, with {@code messages}, no answers, and a deadline a minute away.
     */
    SignRequest madeUp(long id, long template, List<byte[]> messages) {
        SignRequest.Builder b = ledgerCopy(template).toBuilder().setId(id).clearMessages().clearSignatures()
                .clearRecoveryIds().clearKeyringPartySigs().clearFaults().clearRejectReason()
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING)
                .setDeadlineUnixMs(System.currentTimeMillis() + 60_000);
        messages.forEach(m -> b.addMessages(ByteString.copyFrom(m)));
        return b.build();
    }

    /** Party.Sign of {@code request}; the refusal's status, or OK (described with the answer) if it signed. */
    Status sign(SignRequest request) {
        try {
            var answer = PartyGrpc.newBlockingStub(party).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .sign(SigningCall.newBuilder().setChainId(Federation.CHAIN_ID).setRequest(request).build());
            return Status.OK.withDescription("the party answered: " + answer);
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    @Override
    public void close() {
        party.shutdownNow();
        ledger.shutdownNow();
    }
}
