package io.keyfed.party.signing;

/**
 * The protocol-specific half of a signing session: what one attempt sends and checks. {@link SigningSession} owns
 * the rest, the same for every protocol (attempts with a rotating coordinator, the attempt timer, ROAST exclusion,
 * admission and replay, the outbox and peers, messages buffered for later attempts, the signed answer, wiping).
 * Two implementations: FROST ({@link FrostProtocol}, ed25519 and taproot keys) and DKLs23 ({@link DklsProtocol},
 * ecdsa and bitcoin keys). Every method runs under the session's lock, on a worker thread; secret attempt state is
 * memory-only and wiped in {@link #endAttempt}.
 */
interface AttemptProtocol {
    /** The protocol's name in logs and replay keys ({@code frost}, {@code dkls23}). */
    String name();

    /** Attempt {@code attempt}, coordinated by {@code coordinator}, starts here: fresh state, first messages. */
    void started(int attempt, String coordinator);

    /**
     * An admitted message of the current attempt (or, for {@link #anyAttempt} kinds, of any attempt) from
     * {@code from}, whose identifier is {@code sender}.
     */
    void handle(int kind, int sender, String from, byte[] payload);

    /**
     * An admitted message of an earlier attempt than this party's (it moved on before the message arrived): checked
     * for faults where the protocol can still do so, otherwise ignored.
     */
    default void late(int attempt, int kind, int sender, String from, byte[] payload) {
    }

    /** Whether messages of {@code kind} count whatever their attempt (the RESULT). */
    boolean anyAttempt(int kind);

    /**
     * What a message of a later attempt is, if it moves this party on to that attempt (the coordinator's plan, or
     * for the coordinator a signer's first message); null if it is only kept until this party gets there.
     */
    String catchUp(int kind, boolean fromItsCoordinator, boolean selfCoordinatesIt);

    /** Why the current attempt has not signed yet, for the log line when its timer ends it. */
    String stalled();

    /** The current attempt is over here: its secrets (nonces, engine states, setups handed out) are wiped. */
    void endAttempt();
}
