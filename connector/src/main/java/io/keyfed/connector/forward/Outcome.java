package io.keyfed.connector.forward;

/** How the forwarding of one request ended. */
public enum Outcome {
    /** The ledger accepted the party's answer. */
    ACCEPTED,
    /** The request was already final, or this party had already answered it. */
    ALREADY_DONE,
    /** The party or the ledger refused (not retried), or the party's answer failed the connector's checks. */
    REFUSED,
    /** The request's deadline passed while retrying; the ledger rejects and refunds it. */
    GAVE_UP
}
