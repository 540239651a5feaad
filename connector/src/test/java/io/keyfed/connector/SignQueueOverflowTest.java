package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.SignBackends.pendingSign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.keyfed.connector.fake.FakeSignLedger;
import io.keyfed.connector.fake.SignBackends;
import io.keyfed.connector.fake.TinySignQueueBackends;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A burst of sign requests larger than the queue (shared with key requests): those beyond it are dropped for the
 * moment, counted as sign drops, and once the queue drains the connector re-subscribes the sign stream, and only
 * it, from cursor 0; the ledger's replay brings them back. In-test ledger and party over real gRPC.
 */
@QuarkusTest
@QuarkusTestResource(value = TinySignQueueBackends.class, restrictToAnnotatedClass = true)
class SignQueueOverflowTest {

    @Inject
    ForwardingService forwarding;

    @Inject
    MeterRegistry registry;

    @Test
    void droppedSignRequestsComeBackWithAReplayOfTheSignStreamFromCursorZero() {
        FakeLedger keys = FakeBackends.LEDGER;
        FakeSignLedger ledger = keys.signs();
        FakeParty party = FakeBackends.PARTY;
        await("preloaded requests answered", () -> !keys.accepted(FakeBackends.PRELOADED_REQUEST).isEmpty()
                && !ledger.accepted(SignBackends.PRELOADED_SIGN_REQUEST).isEmpty());
        await("idle", () -> forwarding.inFlight() == 0 && forwarding.queued() == 0);
        int signWatchesBefore = ledger.watchCalls().size();
        int keyWatchesBefore = keys.watchCalls().size();

        party.holdSign(100);
        ledger.emit(pendingSign(100), "");
        await("100 in flight", () -> party.signCalls(100).size() == 1);
        for (long id = 101; id <= 104; id++) {
            ledger.emit(pendingSign(id), "");
        }
        await("two queued, two dropped", () -> forwarding.queued() == 2
                && registry.get(ConnectorMetrics.SIGN_DROPPED).counter().count() == 2);
        assertEquals(0, registry.get(ConnectorMetrics.DROPPED).counter().count(), "no key request dropped");

        party.releaseAll();
        for (long id = 100; id <= 104; id++) {
            long requestId = id;
            await("sign request " + id + " answered", () -> !ledger.accepted(requestId).isEmpty());
        }
        assertTrue(ledger.watchCalls().size() > signWatchesBefore, "sign stream re-subscribed");
        assertEquals(0, ledger.watchCalls().get(signWatchesBefore).getCursor(), "replay from cursor 0");
        assertEquals(keyWatchesBefore, keys.watchCalls().size(), "the key stream is not replayed");
        for (long id = 100; id <= 104; id++) {
            assertEquals(1, ledger.accepted(id).size());
        }
        await("the replaced sign stream is closed, not left open", () -> ledger.openStreams() == 1);
    }
}
