package io.keyfed.party.session;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.trace.TraceContext;
import io.opentelemetry.api.trace.Span;

/**
 * The end of a session as seen from outside: its span ends, with the outcome as attribute, and one INFO line
 * names the request, the outcome and the trace id (also as MDC fields {@code requestId} and {@code traceId}).
 * Only public facts: no share, key or channel material.
 */
final class SessionOutcome {
    private static final Logger LOG = Logger.getLogger(SessionOutcome.class);

    private SessionOutcome() {
    }

    static void ended(SessionSpec spec, Span span, PartyResponse answer, Throwable failure) {
        String outcome;
        if (failure == null) {
            outcome = answer.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED ? "FULFILLED" : "REJECTED";
        } else {
            Throwable cause = WorkerFutures.unwrap(failure);
            outcome = "FAILED " + (cause instanceof PartyException pe ? pe.code() : Status.Code.INTERNAL);
        }
        span.setAttribute("keyfed.outcome", outcome);
        span.end();
        String trace = TraceContext.traceId(span);
        TraceContext.outcome(LOG, spec.requestIdText(), trace, "request " + spec.requestIdText()
                + ": session outcome " + outcome + " (" + spec.curveName() + ", " + spec.threshold() + "-of-"
                + spec.n() + ", trace " + (trace.isEmpty() ? "none" : trace) + ")");
    }
}
