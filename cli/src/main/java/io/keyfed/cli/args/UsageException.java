package io.keyfed.cli.args;

/** Bad command line: the caller prints usage on stderr and exits with status 2. */
public final class UsageException extends Exception {
    private final String usage;

    public UsageException(String message, String usage) {
        super(message);
        this.usage = usage;
    }

    /** Usage text of the command concerned, or null for the top-level usage. */
    public String usage() {
        return usage;
    }
}
