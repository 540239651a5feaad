package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.keyfed.connector.fake.TinyQueueBackends;
import io.keyfed.connector.forward.ForwardingService;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A burst larger than the queue: requests beyond it are dropped for the moment, and once the queue drains the
 * connector re-subscribes from cursor 0 and the ledger's replay brings them back. Runs against the in-test
 * stand-ins of the published Ledger and Party contracts ({@link FakeLedger}, {@link FakeParty}) over real gRPC.
 */
@QuarkusTest
@QuarkusTestResource(value = TinyQueueBackends.class, restrictToAnnotatedClass = true)
class QueueOverflowTest {

    @Inject
    ForwardingService forwarding;

    @Inject
    MeterRegistry registry;

    @Test
    void droppedRequestsComeBackWithAReplayFromCursorZero() {
        FakeLedger ledger = FakeBackends.LEDGER;
        FakeParty party = FakeBackends.PARTY;
        await("preloaded request answered", () -> !ledger.accepted(FakeBackends.PRELOADED_REQUEST).isEmpty());
        await("idle", () -> forwarding.inFlight() == 0 && forwarding.queued() == 0);
        int watchesBefore = ledger.watchCalls().size();

        party.hold(100);
        ledger.emit(pending(100));
        await("100 in flight", () -> party.keygenCalls(100).size() == 1);
        for (long id = 101; id <= 104; id++) {
            ledger.emit(pending(id));
        }
        await("two queued, two dropped", () -> forwarding.queued() == 2
                && registry.get(ConnectorMetrics.DROPPED).counter().count() == 2);

        party.releaseAll();
        for (long id = 100; id <= 104; id++) {
            long requestId = id;
            await("request " + id + " answered", () -> !ledger.accepted(requestId).isEmpty());
        }
        assertTrue(ledger.watchCalls().size() > watchesBefore, "re-subscribed");
        assertEquals(0, ledger.watchCalls().get(watchesBefore).getCursor(), "replay from cursor 0");
        for (long id = 100; id <= 104; id++) {
            assertEquals(1, ledger.accepted(id).size());
        }
        await("the replaced stream is closed, not left open", () -> ledger.openStreams() == 1);
    }
}
