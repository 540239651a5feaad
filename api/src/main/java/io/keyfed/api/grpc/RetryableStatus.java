package io.keyfed.api.grpc;

import java.util.EnumSet;
import java.util.Set;

import io.grpc.Status;

/**
 * Which failed gRPC calls are worth making again: the one vocabulary of transient failures shared by the
 * connector (Party.Keygen, Ledger.FulfilKeyRequest) and the party's peer clients (Deliver, DeliverBatch,
 * GetIdentity). Callers retry these with backoff, and never past the request's deadline.
 *
 * <p>Retryable ({@link #TRANSIENT}):
 * <ul>
 * <li>{@code UNAVAILABLE}: the server is down, restarting or unreachable; gRPC's own "try again".</li>
 * <li>{@code DEADLINE_EXCEEDED}: this attempt ran out of time; the next one may not.</li>
 * <li>{@code RESOURCE_EXHAUSTED}: the server is at a limit (sessions, held messages); it drains.</li>
 * <li>{@code ABORTED}: a concurrency conflict; the caller is the level that retries.</li>
 * <li>{@code INTERNAL} and {@code UNKNOWN}: the ledger and the party answer any unexpected failure (a dropped
 * database connection while PostgreSQL restarts, an HSM session error) as INTERNAL, grpc-java reports a reset
 * HTTP/2 stream as INTERNAL, and a failure without a status reads as UNKNOWN. Such failures are often
 * transient here.</li>
 * </ul>
 * Retrying is safe because every call retried is idempotent: the party runs one key generation per request
 * and returns its stored answer again, the ledger refuses a second answer with ALREADY_EXISTS or
 * FAILED_PRECONDITION, a peer acknowledges an envelope it already has with ALREADY_EXISTS, GetIdentity only
 * reads. So a lasting INTERNAL costs a few calls, spaced by a capped backoff, until the deadline; not retrying
 * a passing one would lose a party's answer for good.
 *
 * <p>Not retryable: the server's decisions about this call ({@code INVALID_ARGUMENT}, {@code NOT_FOUND},
 * {@code ALREADY_EXISTS}, {@code PERMISSION_DENIED}, {@code FAILED_PRECONDITION}, {@code OUT_OF_RANGE},
 * {@code UNIMPLEMENTED}, {@code UNAUTHENTICATED}), which the same call meets again; {@code DATA_LOSS}; and
 * {@code CANCELLED}, which the caller itself caused (it is shutting down).
 */
public final class RetryableStatus {

    /** The transient codes, as listed above. */
    public static final Set<Status.Code> TRANSIENT = Set.copyOf(EnumSet.of(Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED,
            Status.Code.INTERNAL, Status.Code.UNKNOWN));

    private RetryableStatus() {
    }

    public static boolean isRetryable(Status.Code code) {
        return TRANSIENT.contains(code);
    }

    /**
     * Whether a failed call is worth making again, by its gRPC status ({@link Status#fromThrowable}: a
     * failure that carries no status is UNKNOWN, hence retryable).
     */
    public static boolean isRetryable(Throwable failure) {
        return isRetryable(Status.fromThrowable(failure).getCode());
    }

    /** "CODE" or "CODE (description)" of a failed call, for logs and messages. */
    public static String describe(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return status.getDescription() == null ? status.getCode().name()
                : status.getCode() + " (" + status.getDescription() + ")";
    }
}
