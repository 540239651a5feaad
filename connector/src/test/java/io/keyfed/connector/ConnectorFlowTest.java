package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.LEDGER;
import static io.keyfed.connector.fake.FakeBackends.PARTY;
import static io.keyfed.connector.fake.FakeBackends.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.PartySignature;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.keyfed.connector.watch.LedgerWatchClient;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Runs the connector against an in-test ledger and party: {@link FakeLedger} and {@link FakeParty} are plain
 * grpc-java servers on free ports implementing the published Ledger and Party service contracts, reached by the
 * connector over real gRPC sockets. They stand in for the real services until the end-to-end test joins the
 * real ledger, parties and connectors. Waits are bounded polls; nothing asserts on elapsed time.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeBackends.class, restrictToAnnotatedClass = true)
class ConnectorFlowTest {

    @Inject
    LedgerWatchClient watcher;

    @Inject
    ForwardingService forwarding;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void aRequestCreatedWhileTheConnectorWasDownIsReplayedAndAnswered() {
        awaitAccepted(FakeBackends.PRELOADED_REQUEST);
        WatchKeyRequestsRequest first = LEDGER.watchCalls().get(0);
        assertEquals(0, first.getCursor());
        assertEquals(FakeBackends.KEYRING, first.getKeyringAddr());
        assertEquals(List.of(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL),
                first.getStatusesList());
    }

    @Test
    void aPendingRequestGoesToThePartyAndItsAnswerToTheLedgerUnchanged() {
        KeyRequest request = pending(10);
        LEDGER.emit(request);
        awaitAccepted(10);

        List<KeygenRequest> asked = PARTY.keygenCalls(10);
        assertEquals(1, asked.size());
        assertEquals(FakeLedger.CHAIN_ID, asked.get(0).getChainId(), "chain id fetched with GetParams");
        assertEquals(request, asked.get(0).getRequest(), "the whole request with its snapshot");
        assertEquals(List.of(PARTY.answer(10)), LEDGER.fulfilCalls(10), "relayed byte for byte, once");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, LEDGER.request(10).getStatus());
    }

    @Test
    void aRequestThisPartyAlreadyAnsweredIsNotForwarded() {
        LEDGER.emit(pending(20).toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator(FakeParty.ADDRESS)
                        .setSignature(ByteString.copyFrom(new byte[64]))
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))
                .build());
        LEDGER.emit(pending(21).toBuilder().setDeadlineUnixMs(System.currentTimeMillis() - 1).build());
        LEDGER.emit(pending(22).toBuilder().clearParties()
                .addParties(pending(22).getParties(1)).build());
        LEDGER.emit(pending(23));
        awaitAccepted(23);
        // Events are decided in stream order, so 20..22 were decided before 23 was forwarded.
        assertEquals(0, PARTY.keygenCalls(20).size(), "already answered");
        assertEquals(0, PARTY.keygenCalls(21).size(), "deadline passed");
        assertEquals(0, PARTY.keygenCalls(22).size(), "party not in the snapshot");
    }

    @Test
    void aSecondEventForARequestInFlightDoesNotStartItTwice() {
        PARTY.hold(25);
        LEDGER.emit(pending(25));
        await("Keygen 25 running", () -> PARTY.keygenCalls(25).size() == 1);
        LEDGER.emit(pending(25).toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator(FakeBackends.OTHER_PARTY)
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))
                .build());
        LEDGER.emit(pending(26));
        await("request 26 decided", () -> forwarding.isClaimed(26) || !LEDGER.accepted(26).isEmpty());
        PARTY.releaseAll();
        awaitAccepted(25);
        awaitAccepted(26);
        assertEquals(1, PARTY.keygenCalls(25).size());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, LEDGER.request(25).getStatus());
    }

    @Test
    void afterTheStreamBreaksTheConnectorResumesFromTheLastCursor() {
        LEDGER.emit(pending(30));
        awaitAccepted(30);
        long last = LEDGER.cursor();
        await("connector saw cursor " + last, () -> watcher.lastCursor() == last);

        int before = LEDGER.watchCalls().size();
        LEDGER.disconnectAll(Status.UNAVAILABLE.withDescription("test: ledger restarting"));
        await("reconnect after failure", () -> LEDGER.watchCalls().size() > before);
        assertEquals(last, LEDGER.watchCalls().get(before).getCursor());

        LEDGER.emit(pending(31));
        awaitAccepted(31);
        long last2 = LEDGER.cursor();
        await("connector saw cursor " + last2, () -> watcher.lastCursor() == last2);

        int before2 = LEDGER.watchCalls().size();
        LEDGER.disconnectAll(null);
        await("reconnect after completion", () -> LEDGER.watchCalls().size() > before2);
        assertEquals(last2, LEDGER.watchCalls().get(before2).getCursor());

        LEDGER.emit(pending(32));
        awaitAccepted(32);
    }

    @Test
    void anUnavailablePartyIsRetried() {
        double retriedBefore = counter(ConnectorMetrics.RETRIED);
        PARTY.fail(40, Status.UNAVAILABLE.withDescription("test: party down"), Status.UNAVAILABLE);
        LEDGER.emit(pending(40));
        awaitAccepted(40);
        assertEquals(3, PARTY.keygenCalls(40).size());
        assertTrue(counter(ConnectorMetrics.RETRIED) >= retriedBefore + 2);
    }

    @Test
    void aPartyThatStaysUnavailableIsRetriedUntilTheDeadlineAndNeverPastIt() {
        Status[] forever = new Status[10_000];
        java.util.Arrays.fill(forever, Status.UNAVAILABLE.withDescription("test: party down for good"));
        PARTY.fail(46, forever);
        long deadline = System.currentTimeMillis() + 1_500;
        LEDGER.emit(pending(46).toBuilder().setDeadlineUnixMs(deadline).build());
        await("Keygen 46 asked", () -> !PARTY.keygenCalls(46).isEmpty());
        await("46 given up", () -> !forwarding.isClaimed(46));
        List<Long> arrivals = PARTY.keygenArrivals(46);
        assertTrue(arrivals.size() > 1, "retried: " + arrivals.size() + " calls");
        // Slack for the call's way over the socket; without a deadline the retries would never end.
        assertTrue(arrivals.get(arrivals.size() - 1) <= deadline + 500, "last call at " + arrivals
                + ", deadline " + deadline);
        assertTrue(LEDGER.fulfilCalls(46).isEmpty(), "nothing to relay");
    }

    @Test
    void aPartyRefusalIsNotRetried() {
        PARTY.fail(47, Status.INVALID_ARGUMENT.withDescription("test: malformed request"));
        LEDGER.emit(pending(47));
        await("Keygen 47 asked", () -> !PARTY.keygenCalls(47).isEmpty());
        await("47 finished", () -> !forwarding.isClaimed(47));
        assertEquals(1, PARTY.keygenCalls(47).size(), "not retried");
        assertTrue(LEDGER.fulfilCalls(47).isEmpty());
    }

    @Test
    void anUnavailableLedgerIsRetriedAndARefusalIsNot() {
        LEDGER.failFulfil(41, Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED);
        LEDGER.emit(pending(41));
        awaitAccepted(41);
        assertEquals(3, LEDGER.fulfilCalls(41).size());

        double rejectedBefore = counter(ConnectorMetrics.REJECTED);
        LEDGER.failFulfil(42, Status.PERMISSION_DENIED.withDescription("test: bad signature"));
        LEDGER.emit(pending(42));
        await("ledger asked about 42", () -> LEDGER.fulfilCalls(42).size() == 1);
        await("42 finished", () -> !forwarding.isClaimed(42));
        assertEquals(1, LEDGER.fulfilCalls(42).size(), "not retried");
        assertTrue(counter(ConnectorMetrics.REJECTED) >= rejectedBefore + 1);

        LEDGER.failFulfil(43, Status.FAILED_PRECONDITION.withDescription("test: already answered"));
        LEDGER.emit(pending(43));
        await("ledger asked about 43", () -> LEDGER.fulfilCalls(43).size() == 1);
        await("43 finished", () -> !forwarding.isClaimed(43));
        assertEquals(1, LEDGER.fulfilCalls(43).size(), "done, not retried");
    }

    @Test
    void anAnswerThatArrivesAfterTheRequestWasFulfilledIsStillRelayedAsAHolderAttestation() {
        PARTY.hold(60);
        LEDGER.emit(pending(60));
        await("Keygen 60 running", () -> PARTY.keygenCalls(60).size() == 1);
        // t answers of other parties made the request FULFILLED while our party was still finishing
        LEDGER.emit(pending(60).toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(PARTY.answer(60).getPublicKey())
                .addKeyringPartySigs(PartySignature.newBuilder().setCreator(FakeBackends.OTHER_PARTY)
                        .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED))
                .addHolders(FakeBackends.OTHER_PARTY)
                .build());
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, LEDGER.request(60).getStatus());
        PARTY.releaseAll();
        awaitAccepted(60);
        await("60 finished", () -> !forwarding.isClaimed(60));
        assertEquals(List.of(PARTY.answer(60)), LEDGER.fulfilCalls(60), "the late answer is relayed once, unchanged");
        assertTrue(LEDGER.request(60).getHoldersList().contains(FakeParty.ADDRESS));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, LEDGER.request(60).getStatus());

        // the ledger refusing a late answer (FAILED_PRECONDITION) ends the forwarding: no retry loop
        PARTY.hold(61);
        LEDGER.emit(pending(61));
        await("Keygen 61 running", () -> PARTY.keygenCalls(61).size() == 1);
        LEDGER.failFulfil(61, Status.FAILED_PRECONDITION.withDescription("test: key request 61 is already REJECTED"));
        PARTY.releaseAll();
        await("ledger asked about 61", () -> LEDGER.fulfilCalls(61).size() == 1);
        await("61 finished", () -> !forwarding.isClaimed(61));
        assertEquals(1, LEDGER.fulfilCalls(61).size(), "done, not retried");
    }

    @Test
    void aRejectionByThePartyIsRelayedAndCounted() {
        double rejectedBefore = counter(ConnectorMetrics.REJECTED);
        PARTY.reject(45);
        LEDGER.emit(pending(45));
        awaitAccepted(45);
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, LEDGER.request(45).getStatus());
        // the connector counts the answer when the ledger's reply reaches it, after the ledger took it
        await("45 finished", () -> !forwarding.isClaimed(45));
        assertTrue(counter(ConnectorMetrics.REJECTED) >= rejectedBefore + 1);
    }

    @Test
    void atMostMaxInFlightKeygenCallsRunAtOnce() {
        long[] ids = {50, 51, 52, 53, 54, 55};
        PARTY.hold(ids);
        for (long id : ids) {
            LEDGER.emit(pending(id));
        }
        await("slots full and the rest queued",
                () -> PARTY.running() == FakeBackends.MAX_IN_FLIGHT && forwarding.queued() == ids.length - 2);
        assertEquals(FakeBackends.MAX_IN_FLIGHT, forwarding.inFlight());
        PARTY.releaseAll();
        for (long id : ids) {
            awaitAccepted(id);
        }
        assertEquals(FakeBackends.MAX_IN_FLIGHT, PARTY.maxRunning());
    }

    @Test
    void healthAndMetricsAreServed() throws Exception {
        awaitAccepted(FakeBackends.PRELOADED_REQUEST);
        await("ready", () -> get(readiness).statusCode() == 200);
        HttpResponse<String> ready = get(readiness);
        assertTrue(ready.body().contains("\"watch_connected\": true"), ready.body());
        String scraped = get(metrics).body();
        for (String name : List.of("keyfed_connector_requests_seen_total", "keyfed_connector_requests_fulfilled_total",
                "keyfed_connector_requests_rejected_total", "keyfed_connector_requests_retried_total",
                "keyfed_connector_requests_in_flight", "keyfed_connector_requests_latency_seconds_count")) {
            assertTrue(scraped.contains(name), name + " missing");
        }
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private static void awaitAccepted(long requestId) {
        await("ledger accepted the answer to request " + requestId, () -> !LEDGER.accepted(requestId).isEmpty());
        PartyResponse accepted = LEDGER.accepted(requestId).get(0);
        assertEquals(FakeParty.ADDRESS, accepted.getPartyAddr());
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
}
