package io.keyfed.ledger.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequestEvent;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.ledger.v1.WatchSignRequestsRequest;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignFixtures;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignFixtures.TestKey;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * WatchSignRequests on one ledger: replay of open sign requests, live requests and transitions, resume from a
 * cursor, and the separation of the two kinds of request on the one event table.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WatchSignRequestsGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(38);
    private static final TestAccount ADMIN = TestKeys.account(40);
    private static final TestAccount P1 = TestKeys.account(191);
    private static final TestAccount P2 = TestKeys.account(192);

    @GrpcClient("ledger")
    Ledger ledger;

    private final List<SignRequestEvent> seen = new CopyOnWriteArrayList<>();

    private Cancellable watch(String keyring, long cursor, SignRequestStatus... statuses) {
        return ledger.watchSignRequests(WatchSignRequestsRequest.newBuilder().setKeyringAddr(keyring).setCursor(cursor)
                .addAllStatuses(List.of(statuses)).build()).subscribe().with(seen::add, failure -> { });
    }

    /** Bounded wait for a condition; the assertion is on the content, never on the time taken. */
    private static void await(Supplier<Boolean> done, Supplier<String> what) {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (!done.get() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertTrue(done.get(), what);
    }

    private void awaitCount(int n) {
        await(() -> seen.size() >= n, () -> "expected " + n + " events, got " + seen.size());
    }

    private List<Long> ids() {
        return seen.stream().map(e -> e.getRequest().getId()).toList();
    }

    private SignRequest get(long id) {
        return ledger.getSignRequest(SignRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
    }

    @Test
    void shouldReplayOpenSignRequestsThenDeliverNewOnesAndTransitions() {
        // 1-of-2: the first rejection leaves the request PARTIAL (one willing party remains), the second ends it
        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1, P2);
        long open = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {1});
        long done = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {2});
        ledger.fulfilSignatureRequest(SignParties.reject(P1, get(done), "no share")).await().atMost(WAIT);
        ledger.fulfilSignatureRequest(SignParties.reject(P2, get(done), "no share")).await().atMost(WAIT);
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, get(done).getStatus());

        Cancellable c = watch(key.keyring(), 0, SignRequestStatus.SIGN_REQUEST_STATUS_PENDING,
                SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED);
        awaitCount(1);
        assertEquals(List.of(open), ids());
        SignRequest replayed = seen.get(0).getRequest();
        assertEquals(1, replayed.getMessagesCount());
        assertEquals(2, replayed.getPartiesCount());
        assertTrue(seen.get(0).getCursor() > 0);

        long live = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {3}, new byte[] {4});
        awaitCount(2);
        ledger.fulfilSignatureRequest(SignParties.reject(P1, get(live), "no share")).await().atMost(WAIT);
        ledger.fulfilSignatureRequest(SignParties.reject(P2, get(live), "no share")).await().atMost(WAIT);
        awaitCount(4);
        c.cancel();
        assertEquals(List.of(open, live, live, live), ids());
        assertEquals(List.of(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING, SignRequestStatus.SIGN_REQUEST_STATUS_PENDING,
                SignRequestStatus.SIGN_REQUEST_STATUS_PARTIAL, SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED),
                seen.stream().map(e -> e.getRequest().getStatus()).toList());
        assertEquals(2, seen.get(1).getRequest().getMessagesCount());
        assertEquals(2, seen.get(3).getRequest().getKeyringPartySigsCount());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i - 1).getCursor() < seen.get(i).getCursor());
        }
    }

    @Test
    void shouldResumeFromACursorWithoutLossOrRepeat() throws InterruptedException {
        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1);
        long r1 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {1});
        Cancellable first = watch(key.keyring(), 0);
        awaitCount(1);
        long r2 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {2});
        awaitCount(2);
        first.cancel();
        assertEquals(List.of(r1, r2), ids());
        long last = seen.get(1).getCursor();

        // made while nobody watches
        long r3 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {3});
        long r4 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {4});
        seen.clear();
        Cancellable resumed = watch(key.keyring(), last);
        awaitCount(2);
        long r5 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {5});
        awaitCount(3);
        Thread.sleep(300); // give a wrongly repeated event a chance to show up
        resumed.cancel();
        assertEquals(List.of(r3, r4, r5), ids());
    }

    @Test
    void shouldKeepKeyAndSignEventsApartOnTheSameKeyring() throws InterruptedException {
        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1);
        List<KeyRequestEvent> keyEvents = new CopyOnWriteArrayList<>();
        Cancellable keys = ledger.watchKeyRequests(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(key.keyring())
                .build()).subscribe().with(keyEvents::add, failure -> { });
        Cancellable signs = watch(key.keyring(), 0);

        long sign1 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {1});
        long keyReq = LedgerRest.newKeyRequest(OWNER, key.workspace(), key.keyring(), "ecdsa", 0);
        long sign2 = SignFixtures.newSignRequest(ledger, OWNER, key.id(), 60, new byte[] {2});
        awaitCount(2);
        await(() -> !keyEvents.isEmpty(), () -> "no key request event");
        Thread.sleep(300); // give a wrongly delivered event a chance to show up
        keys.cancel();
        signs.cancel();
        // the key's own request is FULFILLED, so the key stream's replay is empty: it sees only keyReq
        assertEquals(List.of(keyReq), keyEvents.stream().map(e -> e.getRequest().getId()).toList());
        assertEquals(List.of(sign1, sign2), ids());
        assertTrue(keyEvents.get(0).getCursor() > seen.get(0).getCursor());
        assertTrue(keyEvents.get(0).getCursor() < seen.get(1).getCursor());
    }

    @Test
    void shouldRefuseAWatchWithoutAValidKeyringOrWithABadStatus() {
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> ledger.watchSignRequests(
                WatchSignRequestsRequest.newBuilder().build()).collect().asList().await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, missing.getStatus().getCode());
        assertEquals("keyring_addr is required", missing.getStatus().getDescription());

        StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class, () -> ledger.watchSignRequests(
                WatchSignRequestsRequest.newBuilder().setKeyringAddr(OWNER.address()).build()).collect().asList()
                .await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, wrong.getStatus().getCode());
        assertTrue(wrong.getStatus().getDescription().contains("has prefix 'zen', expected 'keyring'"),
                wrong.getStatus().getDescription());

        TestKey key = SignFixtures.ed25519Key(ledger, OWNER, ADMIN, 1, "0", P1);
        StatusRuntimeException status = assertThrows(StatusRuntimeException.class, () -> ledger.watchSignRequests(
                WatchSignRequestsRequest.newBuilder().setKeyringAddr(key.keyring()).addStatusesValue(7).build())
                .collect().asList().await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getStatus().getCode());
        assertEquals("statuses: 7 is not a sign request status to watch", status.getStatus().getDescription());

        StatusRuntimeException unspecified = assertThrows(StatusRuntimeException.class, () -> ledger.watchSignRequests(
                WatchSignRequestsRequest.newBuilder().setKeyringAddr(key.keyring())
                        .addStatuses(SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED).build())
                .collect().asList().await().atMost(WAIT));
        assertEquals("statuses: 0 is not a sign request status to watch", unspecified.getStatus().getDescription());

        StatusRuntimeException past = assertThrows(StatusRuntimeException.class, () -> ledger.watchSignRequests(
                WatchSignRequestsRequest.newBuilder().setKeyringAddr(key.keyring()).setCursor(Long.MAX_VALUE).build())
                .collect().asList().await().atMost(WAIT));
        assertEquals(Status.Code.OUT_OF_RANGE, past.getStatus().getCode());
    }
}
