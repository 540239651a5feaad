package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.party.metrics.PartyMetrics;

/**
 * A party starts a session only for a request its own view of the ledger confirms: made-up requests, requests
 * that differ from the ledger's copy and final requests are refused and leave nothing behind, and cannot take
 * the session slots.
 */
class LedgerConfirmationTest {
    private static final KeyType SECP = KeyType.KEY_TYPE_ECDSA_SECP256K1;

    /** No session, no row, no token operation (seal or sign), no metrics session-start. */
    private static void assertNoTrace(PartyCluster.Member m) {
        assertEquals(0, m.node().sessions().sessionsStarted(), "no session started");
        assertEquals(0, m.node().sessions().activeSessions());
        assertEquals(List.of(), m.database().requestIds(), "nothing stored");
        assertEquals(0.0, m.metrics.registry().get(PartyMetrics.SESSIONS_ACTIVE).gauge().value());
        assertEquals(0, m.metrics.registry().get(PartyMetrics.HSM_DURATION).tags("operation", "seal").timer().count());
        assertEquals(0, m.node().confirmations().inFlight());
    }

    private static StatusRuntimeException refused(PartyCluster.Member m, KeygenRequest call, Status.Code code) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> m.stub().keygen(call));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }

    private static List<PartyResponse> keygenEverywhere(PartyCluster cluster, KeygenRequest call) throws Exception {
        List<ListenableFuture<KeygenResponse>> futures = new ArrayList<>();
        for (PartyCluster.Member m : cluster.members()) {
            futures.add(m.futureStub().withDeadlineAfter(60, TimeUnit.SECONDS).keygen(call));
        }
        List<PartyResponse> out = new ArrayList<>();
        for (ListenableFuture<KeygenResponse> f : futures) {
            PartyResponse r = f.get(60, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
            out.add(r);
        }
        return out;
    }

    @Test
    void aMadeUpRequestIsNotFoundAndTheRealOneLaterRunsWithEveryParty() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            long id = 201;
            long deadline = System.currentTimeMillis() + 60_000;
            // The takeover: a snapshot of two parties, threshold 1, for the ledger's next id.
            List<PartyCluster.Member> two = List.of(cluster.member(0), cluster.member(1));
            KeygenRequest madeUp = cluster.unregistered(id, SECP, 1, deadline, two);
            for (PartyCluster.Member m : two) {
                StatusRuntimeException e = refused(m, madeUp, Status.Code.NOT_FOUND);
                assertTrue(e.getStatus().getDescription().contains("request 201 is not known to the ledger"),
                        e.getStatus().getDescription());
                assertNoTrace(m);
                assertEquals(1, m.metrics.registry().get(PartyMetrics.LEDGER_CONFIRM).tags("outcome", "refused")
                        .timer().count(), "the confirmation was made and timed");
            }
            assertEquals(2, cluster.ledger.lookups(), "each party asked the ledger");

            // The real 2-of-3 request takes the id: every party runs it, and they agree on one key.
            KeygenRequest real = cluster.request(id, SECP, 2, deadline);
            List<PartyResponse> answers = keygenEverywhere(cluster, real);
            assertEquals(answers.get(0).getPublicKey(), answers.get(2).getPublicKey());
            for (PartyCluster.Member m : cluster.members()) {
                assertEquals(1, m.node().sessions().sessionsStarted());
                assertEquals(1, m.metrics.registry().get(PartyMetrics.LEDGER_CONFIRM).tags("outcome", "confirmed")
                        .timer().count());
            }
            // The made-up call now meets the stored answer of other parameters: still refused.
            refused(cluster.member(0), madeUp, Status.Code.FAILED_PRECONDITION);
        }
    }

    @Test
    void aCallThatDiffersFromTheLedgersCopyIsRefusedNamingTheFieldsAndLeavesNoTrace() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.start();
            long deadline = System.currentTimeMillis() + 60_000;
            KeygenRequest real = cluster.request(211, SECP, 2, deadline);

            KeygenRequest downgraded = real.toBuilder().setRequest(real.getRequest().toBuilder().setPartyThreshold(1))
                    .build();
            assertFieldsNamed(m, downgraded, "party_threshold");
            KeygenRequest fewer = cluster.unregistered(211, SECP, 1, deadline, List.of(m, cluster.member(1)));
            assertFieldsNamed(m, fewer, "parties, party_threshold");
            assertFieldsNamed(m, cluster.unregistered(211, KeyType.KEY_TYPE_BITCOIN_SECP256K1, 2, deadline),
                    "key_type");
            assertFieldsNamed(m, cluster.unregistered(211, SECP, 2, deadline + 1), "deadline_unix_ms");
            assertFieldsNamed(m, real.toBuilder().setChainId("another-chain").build(), "chain_id");
            assertNoTrace(m);
        }
    }

    private static void assertFieldsNamed(PartyCluster.Member m, KeygenRequest call, String fields) {
        StatusRuntimeException e = refused(m, call, Status.Code.FAILED_PRECONDITION);
        assertEquals("request " + call.getRequest().getId() + " differs from the ledger's copy in " + fields
                + "; refused, no session started", e.getStatus().getDescription());
    }

    @Test
    void aFinalRequestIsRefused() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.start();
            KeygenRequest call = cluster.request(221, SECP, 2, System.currentTimeMillis() + 60_000);
            for (KeyRequestStatus status : List.of(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED,
                    KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED)) {
                cluster.ledger.status(221, status);
                StatusRuntimeException e = refused(m, call, Status.Code.FAILED_PRECONDITION);
                assertTrue(e.getStatus().getDescription().contains(
                        status.name().replace("KEY_REQUEST_STATUS_", "") + " at the ledger"), e.getMessage());
            }
            assertNoTrace(m);
        }
    }

    @Test
    void madeUpCallsTakeNoSessionSlotWhileARealRequestSucceeds() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member target = cluster.member(0);
            long deadline = System.currentTimeMillis() + 60_000;
            List<ListenableFuture<KeygenResponse>> flood = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                flood.add(target.futureStub().keygen(cluster.unregistered(1000 + i, SECP, 1, deadline,
                        List.of(target, cluster.member(1)))));
            }
            KeygenRequest real = cluster.request(231, SECP, 2, deadline);
            List<PartyResponse> answers = keygenEverywhere(cluster, real);
            assertEquals(3, answers.size());
            for (ListenableFuture<KeygenResponse> f : flood) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                Status.Code code = Status.fromThrowable(e.getCause()).getCode();
                assertTrue(code == Status.Code.NOT_FOUND || code == Status.Code.RESOURCE_EXHAUSTED, code.toString());
            }
            assertEquals(1, target.node().sessions().sessionsStarted(), "only the real request took a slot");
            assertEquals(List.of(231L), target.database().requestIds());
        }
    }

    @Test
    void confirmationsInFlightAreBounded() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.config.maxConfirmations = 2;
            m.start();
            long deadline = System.currentTimeMillis() + 60_000;
            cluster.ledger.pause();
            ListenableFuture<KeygenResponse> first = m.futureStub().keygen(cluster.unregistered(301, SECP, 2, deadline));
            ListenableFuture<KeygenResponse> second = m.futureStub().keygen(cluster.unregistered(302, SECP, 2, deadline));
            assertTrue(PartyCluster.await(() -> m.node().confirmations().inFlight() == 2, 30));
            // The same id shares the lookup in flight; a third id is refused.
            ListenableFuture<KeygenResponse> again = m.futureStub().keygen(cluster.unregistered(301, SECP, 2, deadline));
            StatusRuntimeException e = refused(m, cluster.unregistered(303, SECP, 2, deadline),
                    Status.Code.RESOURCE_EXHAUSTED);
            assertTrue(e.getStatus().getDescription().contains("max-confirmations"), e.getMessage());
            cluster.ledger.resume();
            for (ListenableFuture<KeygenResponse> f : List.of(first, second, again)) {
                ExecutionException ee = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                assertEquals(Status.Code.NOT_FOUND, Status.fromThrowable(ee.getCause()).getCode());
            }
            assertEquals(2, cluster.ledger.lookups(), "one lookup per request id");
            assertNoTrace(m);
        }
    }
}
