package io.keyfed.party.hsm;

/** The kinds of token call {@link HsmToken} makes, as named in its errors and in metrics. */
public enum HsmOperation {
    SIGN("sign", "identity signature"),
    SEAL("seal", "seal"),
    UNSEAL("unseal", "unseal"),
    ECDH("ecdh", "ECDH"),
    LIST_KEYS("list_keys", "list sealing keys"),
    ROTATE_KEY("rotate_key", "rotate the sealing key"),
    RETIRE_KEY("retire_key", "retire a sealing key");

    /** Short name: the {@code operation} tag of the HSM latency metric. */
    public final String tag;
    /** What the operation does, in error messages. */
    final String description;

    HsmOperation(String tag, String description) {
        this.tag = tag;
        this.description = description;
    }

    /** Told how long each token call took (successful or not); must be cheap and must not throw. */
    @FunctionalInterface
    public interface Listener {
        void completed(HsmOperation operation, long nanos);
    }
}
