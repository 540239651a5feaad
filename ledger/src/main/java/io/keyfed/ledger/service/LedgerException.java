package io.keyfed.ledger.service;

/**
 * A refused request: the code says which kind (mapped to gRPC status and HTTP status), the message
 * names the problem. Messages never carry secrets or whole request bodies.
 */
public final class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The refusal kinds, with their HTTP status. */
    public enum Code {
        INVALID_ARGUMENT(400), PERMISSION_DENIED(403), FAILED_PRECONDITION(409), NOT_FOUND(404), OUT_OF_RANGE(400);

        public final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }
    }

    private final Code code;

    public LedgerException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static LedgerException invalid(String message) {
        return new LedgerException(Code.INVALID_ARGUMENT, message);
    }

    public static LedgerException denied(String message) {
        return new LedgerException(Code.PERMISSION_DENIED, message);
    }

    public static LedgerException precondition(String message) {
        return new LedgerException(Code.FAILED_PRECONDITION, message);
    }

    public static LedgerException outOfRange(String message) {
        return new LedgerException(Code.OUT_OF_RANGE, message);
    }

    public static LedgerException notFound(String message) {
        return new LedgerException(Code.NOT_FOUND, message);
    }
}
