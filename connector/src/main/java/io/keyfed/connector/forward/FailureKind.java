package io.keyfed.connector.forward;

import io.grpc.Status;

/** How a failed gRPC call to the ledger or the party is handled. */
public enum FailureKind {
    /** Transient (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNKNOWN...): retry. */
    RETRY,
    /** FAILED_PRECONDITION or ALREADY_EXISTS: the request is final or this party already answered. */
    DONE,
    /** PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, UNIMPLEMENTED...: refused, never retried. */
    REFUSED;

    public static FailureKind of(Throwable failure) {
        return of(Status.fromThrowable(failure).getCode());
    }

    public static FailureKind of(Status.Code code) {
        switch (code) {
            case FAILED_PRECONDITION:
            case ALREADY_EXISTS:
                return DONE;
            case PERMISSION_DENIED:
            case INVALID_ARGUMENT:
            case NOT_FOUND:
            case UNAUTHENTICATED:
            case UNIMPLEMENTED:
            case OUT_OF_RANGE:
                return REFUSED;
            default:
                return RETRY;
        }
    }
}
