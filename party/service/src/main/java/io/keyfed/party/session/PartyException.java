package io.keyfed.party.session;

import io.grpc.Status;

/** A failure with the gRPC status it is reported as; the message never contains secrets. */
public final class PartyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;

    public PartyException(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public Status toStatus() {
        return Status.fromCode(code).withDescription(getMessage());
    }

    public static PartyException invalid(String message) {
        return new PartyException(Status.Code.INVALID_ARGUMENT, message);
    }
}
