package io.keyfed.api.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

class TraceContextTest {
    private static final String TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Tracer NOOP = OpenTelemetry.noop().getTracer("test");

    @Test
    void aTraceparentRoundTripsThroughItsContext() {
        Span s = Span.fromContext(TraceContext.parent(TP));
        assertEquals(TP, TraceContext.traceparent(s));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(TP));
        assertTrue(TraceContext.valid(TP));
    }

    @Test
    void emptyOrMalformedValuesGiveNoParentAndNoTraceId() {
        for (String bad : new String[] { null, "", "00-xyz", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "garbage-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" }) {
            assertEquals(Context.root(), TraceContext.parent(bad), String.valueOf(bad));
            assertEquals("", TraceContext.traceId(bad), String.valueOf(bad));
            assertFalse(TraceContext.valid(bad), String.valueOf(bad));
        }
    }

    @Test
    void aNoopTracerCarriesTheRemoteParentsTraceOn() {
        Span s = TraceContext.start(NOOP, "x", SpanKind.CONSUMER, TraceContext.parent(TP), 7);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(s));
        assertEquals(s, TraceContext.orNewTrace(s));
    }

    @Test
    void withoutAParentANewUnsampledTraceIsMade() {
        Span none = TraceContext.start(NOOP, "x", SpanKind.INTERNAL, Context.root(), 7);
        assertEquals("", TraceContext.traceparent(none));
        Span a = TraceContext.orNewTrace(none);
        Span b = TraceContext.orNewTrace(none);
        assertTrue(TraceContext.valid(TraceContext.traceparent(a)), TraceContext.traceparent(a));
        assertTrue(TraceContext.traceparent(a).endsWith("-00"), "not sampled: " + TraceContext.traceparent(a));
        assertNotEquals(TraceContext.traceId(a), TraceContext.traceId(b));
    }
}
