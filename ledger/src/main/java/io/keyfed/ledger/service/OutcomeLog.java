package io.keyfed.ledger.service;

import org.jboss.logging.Logger;

import io.keyfed.api.trace.TraceContext;

/**
 * The ledger's outcome line of a key request: one INFO line when it reaches its final status, with the request
 * id and the request's trace id (also as MDC fields {@code requestId} and {@code traceId}). It names no reason
 * text and no key material.
 */
final class OutcomeLog {
    private static final Logger LOG = Logger.getLogger(OutcomeLog.class);

    private OutcomeLog() {
    }

    /** Logs the line when the request of {@code f} is final; nothing otherwise. */
    static void finalStatus(KeyRequestService.Fulfilment f) {
        if (!KeyRequestService.isFinal(f.request().getStatus())) {
            return;
        }
        String id = Long.toUnsignedString(f.request().getId());
        String trace = TraceContext.traceId(f.traceparent());
        TraceContext.outcome(LOG, id, trace, "key request " + id + " final status "
                + KeyRequestService.shortStatus(f.request().getStatus()) + " (" + f.request().getKeyType() + ", trace "
                + (trace.isEmpty() ? "none" : trace) + ")");
    }
}
