package io.keyfed.connector.forward;

import io.grpc.Status;
import io.keyfed.api.grpc.RetryableStatus;

/** How a failed gRPC call to the ledger or the party is handled. */
public enum FailureKind {
    /** Transient, as {@link RetryableStatus} defines it for every KeyFed client: retry until the deadline. */
    RETRY,
    /** FAILED_PRECONDITION or ALREADY_EXISTS: the request is REJECTED (a late answer to a FULFILLED one is taken). */
    DONE,
    /** Any other status (PERMISSION_DENIED, INVALID_ARGUMENT, NOT_FOUND, CANCELLED...): refused, never retried. */
    REFUSED;

    public static FailureKind of(Throwable failure) {
        return of(Status.fromThrowable(failure).getCode());
    }

    public static FailureKind of(Status.Code code) {
        if (RetryableStatus.isRetryable(code)) {
            return RETRY;
        }
        if (code == Status.Code.FAILED_PRECONDITION || code == Status.Code.ALREADY_EXISTS) {
            return DONE;
        }
        return REFUSED;
    }
}
