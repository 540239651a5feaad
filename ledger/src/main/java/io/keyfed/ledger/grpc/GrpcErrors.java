package io.keyfed.ledger.grpc;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.ledger.service.LedgerException;

/** Refusals to gRPC statuses; anything else is INTERNAL without details (details go to the log). */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static Throwable toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException) {
            return t;
        }
        if (t instanceof LedgerException e) {
            Status s = switch (e.code()) {
                case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
                case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
                case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
                case NOT_FOUND -> Status.NOT_FOUND;
                case OUT_OF_RANGE -> Status.OUT_OF_RANGE;
            };
            return s.withDescription(e.getMessage()).asRuntimeException();
        }
        LOG.error("internal error serving a gRPC call", t);
        return Status.INTERNAL.withDescription("internal error").asRuntimeException();
    }
}
