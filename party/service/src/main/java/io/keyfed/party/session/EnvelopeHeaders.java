package io.keyfed.party.session;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerClients;

/**
 * The checks on a Deliver call's envelope before it is routed to a session (or held): a request id, a session id
 * of the right length, a known kind, a bounded payload, an auth tag of the right length, this party as
 * recipient, and a configured peer as sender. They need no session and no secret; the session checks the rest
 * ({@link InboundEnvelopes}). Stateless.
 */
public final class EnvelopeHeaders {
    /**
     * Bound on an envelope payload: the largest DKG message, or the largest complaint with evidence (a signed
     * round-2 share of a 255-party session), plus framing.
     */
    static final int MAX_PAYLOAD_BYTES = Math.max(Wire.MAX_MESSAGE_BYTES, ComplaintEvidence.MAX_BYTES) + 64;

    /**
     * Bound on a signing envelope's payload: a PACKAGE carries t signers' commitments for every message (see
     * {@code signing.SigningWire}); a request whose package would not fit is refused before it starts.
     */
    public static final int MAX_SIGNING_PAYLOAD_BYTES = 256 * 1024;

    /**
     * Bound on a DKLs23 signing envelope's payload: a ROUND2 carries, for every message, the SoftSpokenOT
     * multiplication (about 48 KiB) to one signer (see {@code signing.DklsWire}); it stays below the gRPC server's
     * 1 MiB inbound limit ({@code quarkus.grpc.server.max-inbound-message-size}). A request whose ROUND2 would not
     * fit is refused before it starts.
     */
    public static final int MAX_DKLS_PAYLOAD_BYTES = 960 * 1024;

    private EnvelopeHeaders() {
    }

    /** Refuses {@code e} ({@link PartyException}, naming the problem) unless its header fits this party. */
    public static void check(PeerEnvelope e, String self, PeerClients clients) {
        if (e.getRequestId() == 0) {
            throw PartyException.invalid("envelope without a request id");
        }
        if (e.getSessionId().size() != SessionId.LENGTH) {
            throw PartyException.invalid("envelope session id must be " + SessionId.LENGTH + " bytes");
        }
        EnvelopeCodec.Protocol protocol = EnvelopeCodec.protocolOf(e.getKind());
        if (protocol == null) {
            throw PartyException.invalid("unknown envelope kind " + e.getKind() + " (expected 1 to "
                    + EnvelopeCodec.MAX_KIND + " for key generation, " + EnvelopeCodec.KIND_SIGN_COMMIT + " to "
                    + EnvelopeCodec.KIND_SIGN_RESULT + " for signing)");
        }
        int max = switch (protocol) {
        case DKG -> MAX_PAYLOAD_BYTES;
        case DKLS -> MAX_DKLS_PAYLOAD_BYTES;
        default -> MAX_SIGNING_PAYLOAD_BYTES;
        };
        if (e.getPayload().size() > max) {
            throw PartyException.invalid("envelope payload of " + e.getPayload().size() + " bytes exceeds "
                    + max);
        }
        if (e.getAuth().size() != 32) {
            throw new PartyException(Status.Code.UNAUTHENTICATED, "envelope auth tag must be 32 bytes");
        }
        if (!e.getRecipientAddr().equals(self)) {
            throw PartyException.invalid("envelope is addressed to '" + Addresses.printable(e.getRecipientAddr())
                    + "', not to this party (" + self + ")");
        }
        if (!clients.isConfigured(e.getSenderAddr())) {
            throw new PartyException(Status.Code.PERMISSION_DENIED, "envelope sender '"
                    + Addresses.printable(e.getSenderAddr())
                    + "' is not a configured peer of this party (keyfed.party.peers); message refused");
        }
    }
}
