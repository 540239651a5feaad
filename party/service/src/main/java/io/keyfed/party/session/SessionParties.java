package io.keyfed.party.session;

import java.util.Set;

/**
 * What the session runtime needs to know about one protocol run, whatever the protocol (key generation or
 * signing): the request it serves, its session id, this party, and the participants with their registered
 * identity keys. The runtime's parts ({@link SessionOutbox}, {@link PeerLookup}, {@link EarlyEnvelopes},
 * {@link EnvelopeAdmission}) work on it alone. Public data only.
 */
public interface SessionParties {
    /** The id of the request the run serves (a key request or a sign request, as the protocol says). */
    long requestId();

    /** {@link #requestId()} as an unsigned decimal, for messages. */
    default String requestIdText() {
        return Long.toUnsignedString(requestId());
    }

    /** The run's 32-byte session id (a copy). */
    byte[] sessionIdBytes();

    /** This party's address. */
    String self();

    /** The other participants' addresses. */
    Set<String> peers();

    /** The registered identity key (33-byte compressed secp256k1) of a participant. */
    byte[] identityKey(String address);

    boolean isParticipant(String address);

    /** A participant's 1-based identifier: its position in the ordered snapshot. */
    int identifierOf(String address);

    /** The number of participants. */
    int n();
}
