package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    @Test
    void transientStatusesAreRetried() {
        for (Status.Code code : new Status.Code[] {Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN}) {
            assertEquals(FailureKind.RETRY, FailureKind.of(code), code.name());
        }
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
    }

    @Test
    void nonGrpcFailuresAreTreatedAsTransient() {
        assertEquals(FailureKind.RETRY, FailureKind.of(new IllegalStateException("boom")));
    }
}
