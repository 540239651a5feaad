package io.keyfed.cli.http;

/** An error answer from the ledger ({"code","message"}), or failure to reach it. */
public final class LedgerClientException extends Exception {
    private final int httpStatus;
    private final String code;

    public LedgerClientException(int httpStatus, String code, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    /** HTTP status, or 0 when the ledger could not be reached or answered garbage. */
    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public boolean isNotFound() {
        return httpStatus == 404;
    }
}
