package io.keyfed.party.session;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The session runtime's admission of a peer's envelope into a running session, for every protocol: the sender is
 * another participant, the recipient is this party, the session id is this run's, the auth tag verifies under the
 * sender's channel keys of this session, and the envelope is not a replay. The replay key is the protocol's:
 * it names the protocol, the attempt (for protocols that have attempts) and the kind, so one sender gets one
 * envelope per key. A refused envelope throws {@link PartyException} naming the problem and leaves no trace.
 * Not thread-safe: owned by one session, used under its lock. Holds the inbound channel keys until
 * {@link #destroy}.
 */
public final class EnvelopeAdmission {
    private final SessionParties spec;
    private final Map<String, DirectionKeys> keys = new HashMap<>();
    private final Set<String> seen = new HashSet<>();

    public EnvelopeAdmission(SessionParties spec) {
        this.spec = spec;
    }

    /** The keys that authenticate {@code peer}'s envelopes to this party. */
    public void channel(String peer, DirectionKeys in) {
        keys.put(peer, in);
    }

    /**
     * Admits {@code e} under {@code replayKey} (e.g. {@code "frost attempt 2 kind 16"}), returning the sender's
     * identifier.
     */
    public int admit(PeerEnvelope e, String replayKey) {
        String from = e.getSenderAddr();
        String rid = spec.requestIdText();
        if (from.equals(spec.self())) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, "request " + rid
                    + ": envelope claims to come from this party");
        }
        if (!spec.isParticipant(from)) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, "request " + rid + ": sender '"
                    + Addresses.printable(from) + "' is not a participant of this session");
        }
        if (!e.getRecipientAddr().equals(spec.self())) {
            throw PartyException.invalid("request " + rid + ": envelope is addressed to '"
                    + Addresses.printable(e.getRecipientAddr()) + "', not to this party");
        }
        if (!Arrays.equals(e.getSessionId().toByteArray(), spec.sessionIdBytes())) {
            throw PartyException.invalid("request " + rid + ": envelope from " + from
                    + " carries a session id that does not match this request's session");
        }
        DirectionKeys in = keys.get(from);
        if (in == null || !EnvelopeCodec.authentic(in, e)) {
            throw new PartyException(Status.Code.UNAUTHENTICATED, "request " + rid + ": envelope kind " + e.getKind()
                    + " claiming to come from " + from + " failed authentication (bad auth tag)");
        }
        if (!seen.add(from + "/" + replayKey)) {
            throw new PartyException(Status.Code.ALREADY_EXISTS, "request " + rid + ": duplicate envelope ("
                    + replayKey + ") from " + from + " (replay refused)");
        }
        return spec.identifierOf(from);
    }

    /** Wipes the inbound channel keys. */
    public void destroy() {
        keys.values().forEach(DirectionKeys::destroy);
        keys.clear();
    }
}
