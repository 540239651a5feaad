package io.keyfed.api.trace;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A key request's trace context as it travels in the messages of the flow (the {@code traceparent} fields of
 * {@code KeyRequestEvent}, {@code KeygenRequest} and {@code PeerEnvelope}): W3C trace context, the value of a
 * {@code traceparent} header, {@code "00-<32 hex trace id>-<16 hex span id>-<2 hex flags>"}, or empty.
 *
 * <p>Spans are started with the service's {@link Tracer}. When tracing is off (the OpenTelemetry SDK disabled,
 * the default) that tracer is a no-op: a span started under a remote parent then carries the parent's context,
 * so the trace id still travels through every service and into the outcome log lines, at no cost.
 */
public final class TraceContext {
    /** Name of the W3C header and metadata key. */
    public static final String TRACEPARENT = "traceparent";
    /** Span attribute: the key request's id. */
    public static final String REQUEST_ID = "keyfed.request_id";
    /** Span attribute: the account address of the party a span belongs to (or relays for). */
    public static final String PARTY = "keyfed.party";
    /** MDC keys of the outcome log lines. */
    public static final String MDC_REQUEST_ID = "requestId";
    public static final String MDC_TRACE_ID = "traceId";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TextMapGetter<String> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(TRACEPARENT);
        }

        @Override
        public String get(String carrier, String key) {
            return TRACEPARENT.equals(key) ? carrier : null;
        }
    };

    private TraceContext() {
    }

    /** The context to continue from a traceparent value; {@link Context#root()} when it is empty or malformed. */
    public static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isEmpty()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GETTER);
    }

    /** Whether the value is a well-formed traceparent with a valid trace and span id. */
    public static boolean valid(String traceparent) {
        return Span.fromContext(parent(traceparent)).getSpanContext().isValid();
    }

    /** The traceparent value of a span, empty when its context is not valid. */
    public static String traceparent(Span span) {
        SpanContext c = span.getSpanContext();
        if (!c.isValid()) {
            return "";
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** The trace id of a span, empty when its context is not valid. */
    public static String traceId(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? c.getTraceId() : "";
    }

    /** The trace id in a traceparent value, empty when it is empty or malformed. */
    public static String traceId(String traceparent) {
        return traceId(Span.fromContext(parent(traceparent)));
    }

    /**
     * Starts a span under {@code parent}, with the request id as attribute. Under an invalid parent with a no-op
     * tracer the result has no valid context either: see {@link #orNewTrace(Span)}.
     */
    public static Span start(Tracer tracer, String name, SpanKind kind, Context parent, long requestId) {
        SpanBuilder b = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent);
        if (requestId != 0) {
            b.setAttribute(REQUEST_ID, requestId);
        }
        return b.startSpan();
    }

    /**
     * The span itself when its context is valid; else a non-recording span of a new trace (random ids, not
     * sampled), so that a request always has a trace id to carry, even with tracing off. Ending it does nothing.
     */
    public static Span orNewTrace(Span span) {
        if (span.getSpanContext().isValid()) {
            return span;
        }
        byte[] trace = new byte[16];
        byte[] id = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(id);
        trace[0] |= 1; // never all zero
        id[0] |= 1;
        return Span.wrap(SpanContext.create(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(id),
                TraceFlags.getDefault(), TraceState.getDefault()));
    }

    /**
     * Subscribes to the Uni that {@code call} makes while {@code span} is the current span, so that gRPC client
     * instrumentation (which reads the current context when the call starts, at subscription) puts the span's
     * context on the call. Use it for each attempt of a retried call.
     */
    public static <T> Uni<T> within(Span span, Supplier<Uni<T>> call) {
        return Uni.createFrom().emitter(em -> {
            Cancellable running;
            try (Scope ignored = Context.root().with(span).makeCurrent()) {
                running = call.get().subscribe().with(em::complete, em::fail);
            }
            em.onTermination(running::cancel);
        });
    }

    /**
     * Logs one INFO line for a request's outcome, with the request id and trace id in the MDC (fields
     * {@value #MDC_REQUEST_ID} and {@value #MDC_TRACE_ID}: JSON logs carry them under "mdc"). The message should
     * name both too, for the plain-text format. Never pass secrets: nothing here redacts.
     */
    public static void outcome(Logger log, String requestId, String traceId, String message) {
        Map<String, Object> before = MDC.getMap();
        MDC.put(MDC_REQUEST_ID, requestId);
        MDC.put(MDC_TRACE_ID, traceId);
        try {
            log.info(message);
        } finally {
            restore(MDC_REQUEST_ID, before);
            restore(MDC_TRACE_ID, before);
        }
    }

    private static void restore(String key, Map<String, Object> before) {
        Object old = before.get(key);
        if (old == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, old);
        }
    }
}
