package io.keyfed.api.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import io.grpc.Status;

class RetryableStatusTest {

    @Test
    void transientFailuresAreRetried() {
        for (Status.Code code : EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
                Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED, Status.Code.INTERNAL, Status.Code.UNKNOWN)) {
            assertTrue(RetryableStatus.isRetryable(code), code.name());
            assertTrue(RetryableStatus.isRetryable(Status.fromCode(code).asRuntimeException()), code.name());
        }
    }

    @Test
    void theServersDecisionsAndOurOwnCancellationAreNotRetried() {
        for (Status.Code code : EnumSet.of(Status.Code.OK, Status.Code.CANCELLED, Status.Code.INVALID_ARGUMENT,
                Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS, Status.Code.PERMISSION_DENIED,
                Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE, Status.Code.UNIMPLEMENTED,
                Status.Code.UNAUTHENTICATED, Status.Code.DATA_LOSS)) {
            assertFalse(RetryableStatus.isRetryable(code), code.name());
            assertFalse(RetryableStatus.isRetryable(Status.fromCode(code).asException()), code.name());
        }
    }

    @Test
    void aFailureWithoutAStatusIsUnknownAndRetried() {
        assertTrue(RetryableStatus.isRetryable(new IllegalStateException("connection reset")));
    }

    @Test
    void aStatusFoundAmongTheCausesCounts() {
        assertFalse(RetryableStatus.isRetryable(
                new RuntimeException("wrapped", Status.PERMISSION_DENIED.asRuntimeException())));
    }

    @Test
    void describesTheCodeAndItsDescription() {
        assertEquals("UNAVAILABLE (peer restarting)",
                RetryableStatus.describe(Status.UNAVAILABLE.withDescription("peer restarting").asRuntimeException()));
        assertEquals("ABORTED", RetryableStatus.describe(Status.ABORTED.asRuntimeException()));
    }
}
