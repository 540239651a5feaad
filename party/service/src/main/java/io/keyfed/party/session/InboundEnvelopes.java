package io.keyfed.party.session;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * A DKG session's inbound side: the runtime's {@link EnvelopeAdmission} (sender, recipient, session, auth tag,
 * one envelope per sender and kind), and the inboxes where checked messages wait for their phase. {@link #file}
 * checks an envelope's kind, admits it, decodes it by kind and files it; a refused envelope files nothing.
 * Not thread-safe: owned by one {@link KeygenSession} and used only under its lock. Holds secrets (the inbound
 * channel keys, round-2 shares) until {@link #destroy}.
 */
final class InboundEnvelopes {
    private final SessionSpec spec;
    private final EnvelopeAdmission admission;
    private final Map<Integer, SignedRound1Package> round1 = new TreeMap<>();
    private final Map<Integer, EchoPackage> echo = new TreeMap<>();
    private final Map<Integer, Round2Package> round2 = new TreeMap<>();
    /** CONFIRM digests received (possibly before this party finished round 2); checked in phase CONFIRM. */
    private final Map<Integer, byte[]> confirm = new TreeMap<>();

    InboundEnvelopes(SessionSpec spec) {
        this.spec = spec;
        this.admission = new EnvelopeAdmission(spec);
    }

    /** The keys that authenticate {@code peer}'s envelopes to this party. */
    void channel(String peer, DirectionKeys in) {
        admission.channel(peer, in);
    }

    Map<Integer, SignedRound1Package> round1() {
        return round1;
    }

    Map<Integer, EchoPackage> echo() {
        return echo;
    }

    Map<Integer, Round2Package> round2() {
        return round2;
    }

    Map<Integer, byte[]> confirms() {
        return confirm;
    }

    /**
     * Checks, authenticates, decodes and files one envelope. Refusals throw {@link PartyException}; a malformed
     * authenticated message throws {@link DkgAbort}; a peer's complaint throws its {@link SessionAbort}.
     * {@code shares} takes the ephemeral offers and opens the round-2 shares.
     */
    void file(PeerEnvelope e, ShareExchange shares) throws DkgAbort, SessionAbort {
        String from = e.getSenderAddr();
        int kind = e.getKind();
        if (kind < EnvelopeCodec.KIND_ROUND1 || kind > EnvelopeCodec.MAX_KIND) {
            throw PartyException.invalid("request " + spec.requestIdText() + ": unknown envelope kind " + kind);
        }
        admission.admit(e, "dkg kind " + kind);
        int j = spec.identifierOf(from);
        byte[] payload = e.getPayload().toByteArray();
        switch (kind) {
        case EnvelopeCodec.KIND_ROUND1:
            round1.put(j, SignedRound1Package.decode(spec.curve(), payload, j));
            break;
        case EnvelopeCodec.KIND_ECHO:
            echo.put(j, EchoPackage.decode(spec.curve(), payload, j));
            break;
        case EnvelopeCodec.KIND_CONFIRM:
            if (payload.length != KeyConfirmation.DIGEST_LENGTH) {
                throw new DkgAbort(new DkgError.MalformedMessage(j, "key confirmation of " + payload.length
                        + " bytes instead of " + KeyConfirmation.DIGEST_LENGTH));
            }
            confirm.put(j, payload);
            break;
        case EnvelopeCodec.KIND_COMPLAINT:
            KeyConfirmation.Complaint c = KeyConfirmation.decodeComplaint(payload, spec.n());
            if (c == null) {
                throw new DkgAbort(new DkgError.MalformedMessage(j, "complaint does not decode"));
            }
            throw AbortReasons.complaintFrom(spec, from, c,
                    id -> shares == null ? null : shares.packageOf(id, round1));
        case EnvelopeCodec.KIND_EPHEMERAL:
            shares.acceptOffer(from, j, payload);
            break;
        default:
            byte[] plain = shares.open(from, j, payload);
            try {
                round2.put(j, Round2Package.decode(spec.curve(), plain, j));
            } catch (DkgAbort bad) {
                shares.provable(j);
                throw bad;
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /**
     * Adds to {@code missing} the peers whose message of {@code phase} (ROUND1, ECHO, ROUND2 or CONFIRM) has not
     * arrived; in ROUND1 also a peer whose ephemeral key is missing from {@code shares}.
     */
    void missing(KeygenSession.Phase phase, ShareExchange shares, List<String> missing) {
        Map<Integer, ?> inbox = phase == KeygenSession.Phase.ROUND1 ? round1
                : phase == KeygenSession.Phase.ECHO ? echo
                : phase == KeygenSession.Phase.ROUND2 ? round2 : confirm;
        for (String p : spec.peers()) {
            if (!inbox.containsKey(spec.identifierOf(p))) {
                missing.add(p);
            } else if (phase == KeygenSession.Phase.ROUND1 && shares != null && !shares.hasOffer(p)) {
                missing.add("the ephemeral key of " + p);
            }
        }
    }

    /** Wipes the round-2 shares and the inbound channel keys, and empties every inbox. */
    void destroy() {
        round2.values().forEach(Round2Package::destroy);
        round2.clear();
        round1.clear();
        echo.clear();
        confirm.clear();
        admission.destroy();
    }
}
