package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.keyfed.api.grpc.RetryableStatus;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    @Test
    void theSharedTransientStatusesAreRetried() {
        for (Status.Code code : RetryableStatus.TRANSIENT) {
            assertEquals(FailureKind.RETRY, FailureKind.of(code), code.name());
        }
        assertEquals(FailureKind.RETRY, FailureKind.of(Status.Code.INTERNAL));
        assertEquals(FailureKind.RETRY, FailureKind.of(Status.Code.UNAVAILABLE));
    }

    @Test
    void alreadyFinalOrAnsweredIsDone() {
        assertEquals(FailureKind.DONE, FailureKind.of(Status.FAILED_PRECONDITION.asRuntimeException()));
        assertEquals(FailureKind.DONE, FailureKind.of(Status.ALREADY_EXISTS.asException()));
    }

    @Test
    void refusalsAreNotRetried() {
        assertEquals(FailureKind.REFUSED, FailureKind.of(Status.PERMISSION_DENIED.asRuntimeException()));
        assertEquals(FailureKind.REFUSED, FailureKind.of(Status.INVALID_ARGUMENT.asRuntimeException()));
        assertEquals(FailureKind.REFUSED, FailureKind.of(Status.NOT_FOUND.asRuntimeException()));
        assertEquals(FailureKind.REFUSED, FailureKind.of(Status.CANCELLED.asRuntimeException()));
    }

    @Test
    void nonGrpcFailuresAreTreatedAsTransient() {
        assertEquals(FailureKind.RETRY, FailureKind.of(new IllegalStateException("boom")));
    }
}
