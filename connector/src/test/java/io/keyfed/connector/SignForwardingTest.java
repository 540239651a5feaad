package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.LEDGER;
import static io.keyfed.connector.fake.FakeBackends.PARTY;
import static io.keyfed.connector.fake.SignBackends.pendingSign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.keyfed.connector.fake.FakeSignLedger;
import io.keyfed.connector.fake.SignBackends;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.forward.SignRequestKind;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.keyfed.connector.watch.LedgerWatchClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.keyfed.api.trace.TraceContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sign requests, relayed by the same runtime as key requests: the connector against the in-test ledger
 * ({@link FakeSignLedger} behind {@link FakeLedger}) and a test double of the party's gRPC server
 * ({@link FakeParty}, whose Sign answers with filler signatures), both real grpc-java servers on free ports.
 * Waits are bounded polls; nothing asserts on elapsed time.
 */
@QuarkusTest
@QuarkusTestResource(value = SignBackends.class, restrictToAnnotatedClass = true)
class SignForwardingTest {

    @Inject
    LedgerWatchClient watcher;

    @Inject
    ForwardingService forwarding;

    @Inject
    SignRequestKind signs;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    private static FakeSignLedger ledger() {
        return LEDGER.signs();
    }

    @Test
    void aSignRequestCreatedWhileTheConnectorWasDownIsReplayedAndRelayed() {
        awaitAccepted(SignBackends.PRELOADED_SIGN_REQUEST);
        WatchSignRequestsRequest first = ledger().watchCalls().get(0);
        assertEquals(0, first.getCursor());
        assertEquals(FakeBackends.KEYRING, first.getKeyringAddr());
        assertEquals(List.of(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING, SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL),
                first.getStatusesList());
    }

    @Test
    void aPendingSignRequestGoesToThePartysSignAndItsAnswerToFulfilSignatureRequestUnchanged() {
        settled();
        double fulfilledBefore = counter(ConnectorMetrics.SIGN_FULFILLED);
        double keyFulfilledBefore = counter(ConnectorMetrics.FULFILLED);
        SignRequest request = pendingSign(10);
        ledger().emit(request, "");
        awaitAccepted(10);

        List<SigningCall> asked = PARTY.signCalls(10);
        assertEquals(1, asked.size());
        assertEquals(FakeLedger.CHAIN_ID, asked.get(0).getChainId(), "chain id fetched with GetParams");
        assertEquals(request, asked.get(0).getRequest(), "the whole request with its messages and snapshot");
        assertEquals(List.of(PARTY.signAnswer(10)), ledger().fulfilCalls(10), "relayed byte for byte, once");
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED, ledger().request(10).getStatus());
        assertEquals(fulfilledBefore + 1, counter(ConnectorMetrics.SIGN_FULFILLED));
        assertEquals(keyFulfilledBefore, counter(ConnectorMetrics.FULFILLED), "not counted as a key request");
    }

    @Test
    void aSignRequestThatDoesNotInvolveThePartyIsNotForwarded() {
        ledger().emit(pendingSign(20).toBuilder().clearParties()
                .addParties(KeyringParty.newBuilder().setAddress(FakeBackends.OTHER_PARTY))
                .addParties(KeyringParty.newBuilder().setAddress("zen1thirdparty")).build(), "");
        ledger().emit(pendingSign(21).toBuilder().setDeadlineUnixMs(System.currentTimeMillis() - 1).build(), "");
        ledger().emit(pendingSign(22).toBuilder().setKeyringAddr("keyring1another").build(), "");
        ledger().emit(pendingSign(23), "");
        awaitAccepted(23);
        // Events are decided in stream order, so 20 and 21 were decided before 23 was forwarded.
        assertEquals(0, PARTY.signCalls(20).size(), "party not in the snapshot");
        assertEquals(0, PARTY.signCalls(21).size(), "deadline passed");
        assertEquals(0, PARTY.signCalls(22).size(), "another keyring");
        assertTrue(ledger().fulfilCalls(20).isEmpty());
    }

    @Test
    void aTransientUnavailableFromSignIsRetried() {
        settled();
        double retriedBefore = counter(ConnectorMetrics.SIGN_RETRIED);
        double keyRetriedBefore = counter(ConnectorMetrics.RETRIED);
        PARTY.failSign(40, Status.UNAVAILABLE.withDescription("test: party restarting"), Status.UNAVAILABLE);
        ledger().emit(pendingSign(40), "");
        awaitAccepted(40);
        assertEquals(3, PARTY.signCalls(40).size());
        assertEquals(List.of(PARTY.signAnswer(40)), ledger().fulfilCalls(40));
        assertEquals(retriedBefore + 2, counter(ConnectorMetrics.SIGN_RETRIED));
        assertEquals(keyRetriedBefore, counter(ConnectorMetrics.RETRIED), "not counted as a key request");
    }

    @Test
    void aTransientFailureOfFulfilSignatureRequestIsRetriedAndItsRefusalIsNot() {
        ledger().failFulfil(41, Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED);
        ledger().emit(pendingSign(41), "");
        awaitAccepted(41);
        assertEquals(3, ledger().fulfilCalls(41).size());

        double rejectedBefore = counter(ConnectorMetrics.SIGN_REJECTED);
        ledger().failFulfil(42, Status.INVALID_ARGUMENT.withDescription("test: signature 0 does not verify"));
        ledger().emit(pendingSign(42), "");
        await("ledger asked about 42", () -> ledger().fulfilCalls(42).size() == 1);
        await("42 finished", () -> !forwarding.isClaimed(signs, 42));
        assertEquals(1, ledger().fulfilCalls(42).size(), "not retried");
        assertEquals(rejectedBefore + 1, counter(ConnectorMetrics.SIGN_REJECTED));

        ledger().failFulfil(43, Status.FAILED_PRECONDITION.withDescription("test: sign request 43 is final"));
        ledger().emit(pendingSign(43), "");
        await("ledger asked about 43", () -> ledger().fulfilCalls(43).size() == 1);
        await("43 finished", () -> !forwarding.isClaimed(signs, 43));
        assertEquals(1, ledger().fulfilCalls(43).size(), "done, not retried");
        assertEquals(rejectedBefore + 1, counter(ConnectorMetrics.SIGN_REJECTED), "already final: not a refusal");
    }

    @Test
    void aFinalRefusalByThePartyIsNotRetriedAndIsCounted() {
        settled();
        double rejectedBefore = counter(ConnectorMetrics.SIGN_REJECTED);
        PARTY.failSign(47, Status.NOT_FOUND.withDescription("test: the ledger holds no sign request 47"));
        PARTY.failSign(48, Status.FAILED_PRECONDITION.withDescription("test: the call differs from the ledger"));
        ledger().emit(pendingSign(47), "");
        ledger().emit(pendingSign(48), "");
        await("Sign 47 and 48 asked", () -> !PARTY.signCalls(47).isEmpty() && !PARTY.signCalls(48).isEmpty());
        await("47 and 48 finished", () -> !forwarding.isClaimed(signs, 47) && !forwarding.isClaimed(signs, 48));
        assertEquals(1, PARTY.signCalls(47).size(), "NOT_FOUND is not retried");
        assertEquals(1, PARTY.signCalls(48).size(), "FAILED_PRECONDITION is not retried");
        assertTrue(ledger().fulfilCalls(47).isEmpty() && ledger().fulfilCalls(48).isEmpty(), "nothing to relay");
        assertEquals(rejectedBefore + 2, counter(ConnectorMetrics.SIGN_REJECTED));
    }

    @Test
    void aRejectionByThePartyIsRelayedAndCounted() {
        settled();
        double rejectedBefore = counter(ConnectorMetrics.SIGN_REJECTED);
        PARTY.rejectSign(45);
        ledger().emit(pendingSign(45), "");
        awaitAccepted(45);
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, ledger().accepted(45).get(0).getStatus());
        assertEquals(rejectedBefore + 1, counter(ConnectorMetrics.SIGN_REJECTED));
    }

    @Test
    void anAnswerNamingAnotherRequestOrPartyIsNotRelayed() {
        settled();
        double rejectedBefore = counter(ConnectorMetrics.SIGN_REJECTED);
        PartySignResponse honest = PartySignResponse.newBuilder().setPartyAddr(FakeParty.ADDRESS)
                .setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED).setRejectReason("test")
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        PARTY.answerSign(50, honest.toBuilder().setRequestId(51).build());
        PARTY.answerSign(52, honest.toBuilder().setRequestId(52).setPartyAddr(FakeBackends.OTHER_PARTY).build());
        ledger().emit(pendingSign(50), "");
        ledger().emit(pendingSign(52), "");
        await("Sign 50 and 52 asked", () -> !PARTY.signCalls(50).isEmpty() && !PARTY.signCalls(52).isEmpty());
        await("50 and 52 finished", () -> !forwarding.isClaimed(signs, 50) && !forwarding.isClaimed(signs, 52));
        assertTrue(ledger().fulfilCalls(50).isEmpty(), "an answer to another request");
        assertTrue(ledger().fulfilCalls(51).isEmpty(), "not relayed under its own id either");
        assertTrue(ledger().fulfilCalls(52).isEmpty(), "an answer from another party");
        assertEquals(1, PARTY.signCalls(50).size(), "a wrong answer is not retried");
        assertEquals(rejectedBefore + 2, counter(ConnectorMetrics.SIGN_REJECTED));
    }

    @Test
    void afterTheSignStreamBreaksItResumesFromItsOwnLastCursorAndTheKeyStreamStays() {
        long signCursor = ledger().emit(pendingSign(30), "");
        awaitAccepted(30);
        await("connector saw sign cursor " + signCursor, () -> watcher.signLastCursor() == signCursor);
        // A key request moves the shared sequence, and the key stream's cursor, past the sign stream's.
        LEDGER.emit(FakeBackends.pending(35));
        await("key request 35 accepted", () -> !LEDGER.accepted(35).isEmpty());
        await("key stream past the sign cursor", () -> watcher.lastCursor() > signCursor);
        int keyWatches = LEDGER.watchCalls().size();

        int before = ledger().watchCalls().size();
        ledger().disconnectAll(Status.UNAVAILABLE.withDescription("test: ledger restarting"));
        await("sign stream reconnected after failure", () -> ledger().watchCalls().size() > before);
        assertEquals(signCursor, ledger().watchCalls().get(before).getCursor(), "from the sign stream's cursor");
        assertEquals(keyWatches, LEDGER.watchCalls().size(), "the key stream was not re-opened");

        long signCursor2 = ledger().emit(pendingSign(31), "");
        awaitAccepted(31);
        await("connector saw sign cursor " + signCursor2, () -> watcher.signLastCursor() == signCursor2);
        int before2 = ledger().watchCalls().size();
        ledger().disconnectAll(null);
        await("sign stream reconnected after completion", () -> ledger().watchCalls().size() > before2);
        assertEquals(signCursor2, ledger().watchCalls().get(before2).getCursor());
        ledger().emit(pendingSign(32), "");
        awaitAccepted(32);
        assertEquals(1, PARTY.signCalls(30).size(), "nothing asked twice after the resumes");
        assertEquals(1, PARTY.signCalls(31).size());
    }

    @Test
    void theSigningCallContinuesTheSignEventsTrace() {
        ledger().emit(pendingSign(60), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        awaitAccepted(60);
        String traceparent = PARTY.signCalls(60).get(0).getTraceparent();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(traceparent), traceparent);
    }

    @Test
    void readinessShowsTheSignStreamAndTheSignMetricsAreServed() {
        settled();
        await("ready", () -> get(readiness).statusCode() == 200);
        String ready = get(readiness).body();
        assertTrue(ready.contains("\"sign_watch_connected\": true"), ready);
        String scraped = get(metrics).body();
        for (String name : List.of("keyfed_connector_sign_requests_seen_total",
                "keyfed_connector_sign_requests_fulfilled_total", "keyfed_connector_sign_requests_rejected_total",
                "keyfed_connector_sign_requests_retried_total", "keyfed_connector_sign_requests_dropped_total",
                "keyfed_connector_sign_requests_latency_seconds_count", "keyfed_connector_requests_seen_total")) {
            assertTrue(scraped.contains(name), name + " missing");
        }
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    /** Waits until the ledger took the party's answer and the connector has finished (and counted) it. */
    private void awaitAccepted(long requestId) {
        await("ledger accepted the answer to sign request " + requestId,
                () -> !ledger().accepted(requestId).isEmpty());
        assertEquals(FakeParty.ADDRESS, ledger().accepted(requestId).get(0).getPartyAddr());
        await("sign request " + requestId + " finished", () -> !forwarding.isClaimed(signs, requestId));
    }

    /** Waits until the preloaded key and sign requests are answered and counted, so counters move only here. */
    private void settled() {
        awaitAccepted(SignBackends.PRELOADED_SIGN_REQUEST);
        await("preloaded key request finished", () -> !LEDGER.accepted(FakeBackends.PRELOADED_REQUEST).isEmpty()
                && !forwarding.isClaimed(FakeBackends.PRELOADED_REQUEST));
    }
}
