package io.keyfed.ledger.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;

/** WatchKeyRequests on one ledger: replay, live events in commit order, resume, filters. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WatchKeyRequestsGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(20);
    private static final TestAccount ADMIN = TestKeys.account(21);
    private static final TestAccount P1 = TestKeys.account(121);
    private static final TestAccount P2 = TestKeys.account(122);

    @GrpcClient("ledger")
    Ledger ledger;

    private final List<KeyRequestEvent> seen = new CopyOnWriteArrayList<>();

    private Cancellable watch(String keyring, long cursor, KeyRequestStatus... statuses) {
        return ledger.watchKeyRequests(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring).setCursor(cursor)
                .addAllStatuses(List.of(statuses)).build()).subscribe().with(seen::add, failure -> { });
    }

    /** Bounded wait for a count; the assertion is on the content, never on the time taken. */
    private void awaitCount(int n) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (seen.size() < n && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(seen.size() >= n, "expected " + n + " events, got " + seen.size());
    }

    private List<Long> ids() {
        return seen.stream().map(e -> e.getRequest().getId()).toList();
    }

    @Test
    void shouldReplayOpenRequestsThenStreamNewOnesInOrderAndResume() throws InterruptedException {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "1", P1, P2);
        String otherKr = LedgerRest.newKeyring(ADMIN, 1, "1", P1);
        long r1 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        long r2 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ed25519", 0);
        // r2 is fulfilled before the watch starts, so the replay leaves it out
        var req2 = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(r2).build()).await().atMost(WAIT);
        byte[] ed = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(new byte[32], 0, ed, 0);
        ledger.fulfilKeyRequest(Parties.fulfil(P1, req2, ed)).await().atMost(WAIT);

        Cancellable c = watch(kr, 0);
        awaitCount(1);
        assertEquals(List.of(r1), ids());
        assertEquals(2, seen.get(0).getRequest().getPartiesCount());
        assertEquals(1, seen.get(0).getRequest().getPartyThreshold());

        long r3 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        LedgerRest.newKeyRequest(OWNER, ws, otherKr, "ecdsa", 0);
        long r4 = LedgerRest.newKeyRequest(OWNER, ws, kr, "bitcoin", 0);
        awaitCount(3);
        c.cancel();
        assertEquals(List.of(r1, r3, r4), ids());
        assertTrue(seen.get(1).getCursor() < seen.get(2).getCursor());
        long last = seen.get(2).getCursor();

        long r5 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        long r6 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        seen.clear();
        Cancellable resumed = watch(kr, last);
        awaitCount(2);
        long r7 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        awaitCount(3);
        Thread.sleep(300); // give a wrongly duplicated event a chance to show up
        resumed.cancel();
        assertEquals(List.of(r5, r6, r7), ids());
    }

    /** Identical streams (the connectors of one keyring) share reads; each still gets every event once, in order. */
    @Test
    void identicalStreamsEachGetEveryEventOnceInOrder() throws InterruptedException {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "1", P1, P2);
        List<List<KeyRequestEvent>> streams = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        List<Cancellable> subs = new java.util.ArrayList<>();
        long start = 0;
        long r0 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        Cancellable probe = watch(kr, 0);
        awaitCount(1);
        probe.cancel();
        start = seen.get(0).getCursor();
        assertEquals(r0, seen.get(0).getRequest().getId());
        for (List<KeyRequestEvent> out : streams) {
            subs.add(ledger.watchKeyRequests(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(kr).setCursor(start)
                    .build()).subscribe().with(out::add, failure -> { }));
        }
        List<Long> created = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            created.add(LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0));
        }
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (streams.stream().anyMatch(s -> s.size() < created.size()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(300); // give a wrongly duplicated event a chance to show up
        subs.forEach(Cancellable::cancel);
        for (List<KeyRequestEvent> out : streams) {
            assertEquals(created, out.stream().map(e -> e.getRequest().getId()).toList());
            for (int i = 1; i < out.size(); i++) {
                assertTrue(out.get(i - 1).getCursor() < out.get(i).getCursor());
            }
        }
    }

    @Test
    void shouldDeliverTransitionsMatchingTheFilter() {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "1", P1, P2);
        Cancellable c = watch(kr, 0, KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL,
                KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED);
        long id = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        var req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
        byte[] key = io.keyfed.api.crypto.Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(42));
        ledger.fulfilKeyRequest(Parties.fulfil(P1, req, key)).await().atMost(WAIT);
        ledger.fulfilKeyRequest(Parties.fulfil(P2, req, key)).await().atMost(WAIT);
        awaitCount(2);
        c.cancel();
        assertEquals(List.of(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL, KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED),
                seen.stream().map(e -> e.getRequest().getStatus()).toList());
        assertEquals(2, seen.get(1).getRequest().getKeyringPartySigsCount());
    }

    @Test
    void shouldCatchUpAfterTheListenConnectionIsKilled() throws Exception {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "1", P1);
        Cancellable c = watch(kr, 0);
        long r1 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        awaitCount(1);
        int killed;
        try (java.sql.Connection conn = dataSource.getConnection(); java.sql.Statement st = conn.createStatement();
                java.sql.ResultSet rs = st.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                        + " where query ilike 'listen%' and pid <> pg_backend_pid()")) {
            rs.next();
            killed = rs.getInt(1);
        }
        assertTrue(killed >= 1, "no LISTEN connection found");
        // created while the listener reconnects: its notification may be lost, the re-read must not be
        long r2 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        long r3 = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        awaitCount(3);
        c.cancel();
        assertEquals(List.of(r1, r2, r3), ids());
    }

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @Test
    void shouldRefuseWatchWithoutValidKeyring() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.watchKeyRequests(
                WatchKeyRequestsRequest.newBuilder().setKeyringAddr(OWNER.address()).build()).collect().asList()
                .await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("has prefix 'zen', expected 'keyring'"));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> ledger.watchKeyRequests(
                WatchKeyRequestsRequest.newBuilder().build()).collect().asList().await().atMost(WAIT));
        assertTrue(missing.getStatus().getDescription().contains("keyring_addr is required"));
    }
}
