package io.keyfed.connector;

import static io.keyfed.connector.fake.FakeBackends.LEDGER;
import static io.keyfed.connector.fake.FakeBackends.PARTY;
import static io.keyfed.connector.fake.FakeBackends.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.connector.fake.Await;
import io.keyfed.connector.fake.FakeBackends;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The connector continues each request's trace: the Keygen request it sends the party carries the watch event's
 * trace id (tracing is off in tests, and the trace id travels all the same); an event without trace context gets
 * a new trace.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeBackends.class, restrictToAnnotatedClass = true)
class ConnectorTraceTest {
    private static final String EVENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static KeygenRequest keygenOf(long id) {
        Await.await("request " + id + " answered and accepted", () -> !LEDGER.accepted(id).isEmpty());
        assertEquals(1, PARTY.keygenCalls(id).size());
        return PARTY.keygenCalls(id).get(0);
    }

    @Test
    void theKeygenRequestContinuesTheWatchEventsTrace() {
        LEDGER.emit(pending(901), EVENT);
        KeygenRequest call = keygenOf(901);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(call.getTraceparent()),
                call.getTraceparent());
    }

    @Test
    void anEventWithoutTraceContextStartsANewTrace() {
        LEDGER.emit(pending(902));
        LEDGER.emit(pending(903), "garbage");
        KeygenRequest a = keygenOf(902);
        KeygenRequest b = keygenOf(903);
        assertTrue(TraceContext.valid(a.getTraceparent()), a.getTraceparent());
        assertTrue(TraceContext.valid(b.getTraceparent()), b.getTraceparent());
        assertNotEquals(TraceContext.traceId(a.getTraceparent()), TraceContext.traceId(b.getTraceparent()));
    }
}
