package io.keyfed.cli.command;

/** A failure to report as {@code error: CODE: message} (or {@code error: message}) with exit status 1. */
public final class CliException extends Exception {
    private final String code;

    public CliException(String message) {
        this(null, message);
    }

    public CliException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Error code, or null. */
    public String code() {
        return code;
    }
}
