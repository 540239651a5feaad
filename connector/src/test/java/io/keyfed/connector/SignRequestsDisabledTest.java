package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.LEDGER;
import static io.keyfed.connector.fake.FakeBackends.PARTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.SignBackends;
import io.keyfed.connector.fake.SignDisabledBackends;
import io.keyfed.connector.watch.LedgerWatchClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * {@code keyfed.connector.sign-requests.enabled=false}: the connector relays key requests as before and never opens
 * WatchSignRequests, so a pending sign request already in the ledger never reaches the party.
 */
@QuarkusTest
@QuarkusTestResource(value = SignDisabledBackends.class, restrictToAnnotatedClass = true)
class SignRequestsDisabledTest {

    @Inject
    LedgerWatchClient watcher;

    @Test
    void withSignRequestsDisabledOnlyKeyRequestsAreWatchedAndRelayed() {
        // WatchSignRequests would have been opened together with WatchKeyRequests, before this answer.
        await("preloaded key request answered",
                () -> !LEDGER.accepted(FakeBackends.PRELOADED_REQUEST).isEmpty());
        assertTrue(LEDGER.signs().watchCalls().isEmpty(), "WatchSignRequests never called");
        assertTrue(PARTY.signCalls(SignBackends.PRELOADED_SIGN_REQUEST).isEmpty(), "Sign never called");
        assertFalse(watcher.signEnabled());
        assertFalse(watcher.signConnected());
        assertEquals(0, watcher.signLastCursor());
    }
}
