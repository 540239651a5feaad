package io.keyfed.party.session;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grpc.Status;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.party.dkg.Participants;
import io.keyfed.api.encoding.DkgSessionId;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.wire.Wire;

/** The validated, public parameters of one request's DKG session, as this party sees them. */
public final class SessionSpec implements SessionParties {
    private final String chainId;
    private final long requestId;
    private final String keyring;
    private final KeyType keyType;
    private final Curve curve;
    private final List<String> participants;
    private final Map<String, byte[]> identityKeys;
    private final int threshold;
    private final String self;
    private final int selfId;
    private final SessionId sessionId;
    private final long deadlineMillis;

    private SessionSpec(String chainId, long requestId, String keyring, KeyType keyType, Curve curve,
            List<String> participants, Map<String, byte[]> identityKeys, int threshold, String self,
            long deadlineMillis) {
        this.chainId = chainId;
        this.requestId = requestId;
        this.keyring = keyring;
        this.keyType = keyType;
        this.curve = curve;
        this.participants = participants;
        this.identityKeys = identityKeys;
        this.threshold = threshold;
        this.self = self;
        this.selfId = Participants.identifierOf(participants, self);
        this.sessionId = SessionId.of(DkgSessionId.derive(chainId, requestId, keyring, keyType.getNumber(), participants,
                threshold));
        this.deadlineMillis = deadlineMillis;
    }

    /** The key types a party makes keys for, as its error messages list them. */
    static final String KNOWN_KEY_TYPES =
            "(expected 1 = ecdsa secp256k1, 2 = ed25519, 3 = bitcoin secp256k1, 64 = taproot secp256k1)";

    /** The curve of a key type, or INVALID_ARGUMENT. Taproot keys come from the secp256k1 DKG unchanged. */
    public static CurveId curveOf(KeyType type) {
        if (type == KeyType.UNRECOGNIZED) {
            throw PartyException.invalid("unknown key type " + KNOWN_KEY_TYPES);
        }
        switch (type) {
        case KEY_TYPE_ECDSA_SECP256K1:
        case KEY_TYPE_BITCOIN_SECP256K1:
        case KEY_TYPE_BITCOIN_TAPROOT:
            return CurveId.SECP256K1;
        case KEY_TYPE_EDDSA_ED25519:
            return CurveId.ED25519;
        default:
            throw PartyException.invalid("unknown key type " + type.getNumber() + " " + KNOWN_KEY_TYPES);
        }
    }

    public static String curveName(CurveId id) {
        return id == CurveId.SECP256K1 ? "secp256k1" : "ed25519";
    }

    /**
     * Validates a Keygen call: this party in the snapshot (same address and identity key),
     * 1 ≤ t ≤ n ≤ 255, a known key type, a future deadline, well-formed addresses and keys.
     *
     * @throws PartyException INVALID_ARGUMENT naming the problem
     */
    public static SessionSpec validate(KeygenRequest call, String prefix, String selfAddress, byte[] selfKey,
            long nowMillis) {
        String chainId = call.getChainId();
        if (chainId.isEmpty() || chainId.length() > 128) {
            throw PartyException.invalid("chain_id must be 1 to 128 characters");
        }
        if (!call.hasRequest()) {
            throw PartyException.invalid("request is missing");
        }
        KeyRequest r = call.getRequest();
        if (r.getId() == 0) {
            throw PartyException.invalid("request id must be at least 1");
        }
        String id = Long.toUnsignedString(r.getId());
        try {
            Addresses.requireAddress(r.getKeyringAddr(), Addresses.KEYRING_PREFIX, "keyring_addr");
        } catch (IllegalArgumentException e) {
            throw PartyException.invalid("request " + id + ": " + e.getMessage());
        }
        if (r.getKeyType() == KeyType.UNRECOGNIZED) {
            throw PartyException.invalid("request " + id + ": unknown key type " + r.getKeyTypeValue() + " "
                    + KNOWN_KEY_TYPES);
        }
        CurveId curve = curveOf(r.getKeyType());
        int n = r.getPartiesCount();
        if (n < 1 || n > Wire.MAX_PARTICIPANTS) {
            throw PartyException.invalid("request " + id + " has " + n + " parties; expected 1 to "
                    + Wire.MAX_PARTICIPANTS);
        }
        int t = r.getPartyThreshold();
        if (t < 1 || t > n) {
            throw PartyException.invalid("request " + id + ": party_threshold " + Integer.toUnsignedString(t)
                    + " is not between 1 and the number of parties (" + n + ")");
        }
        if (r.getDeadlineUnixMs() <= nowMillis) {
            throw PartyException.invalid("request " + id + ": deadline " + r.getDeadlineUnixMs()
                    + " ms is not in the future");
        }
        Map<String, byte[]> keys = SnapshotKeys.validate(r.getPartiesList(), prefix, selfAddress, selfKey, id);
        List<String> sorted = Participants.sorted(keys.keySet());
        return new SessionSpec(chainId, r.getId(), r.getKeyringAddr(), r.getKeyType(), Curve.of(curve), sorted,
                Map.copyOf(keys), t, selfAddress, r.getDeadlineUnixMs());
    }

    public String chainId() {
        return chainId;
    }

    public long requestId() {
        return requestId;
    }

    public String requestIdText() {
        return Long.toUnsignedString(requestId);
    }

    public String keyring() {
        return keyring;
    }

    public KeyType keyType() {
        return keyType;
    }

    public Curve curve() {
        return curve;
    }

    public String curveName() {
        return curveName(curve.id());
    }

    /** Sorted participant addresses; identifier i is position i−1. */
    public List<String> participants() {
        return participants;
    }

    public Set<String> peers() {
        Set<String> s = new java.util.LinkedHashSet<>(participants);
        s.remove(self);
        return s;
    }

    public byte[] identityKey(String address) {
        return identityKeys.get(address).clone();
    }

    public boolean isParticipant(String address) {
        return identityKeys.containsKey(address);
    }

    public int identifierOf(String address) {
        return participants.indexOf(address) + 1;
    }

    public String addressOf(int identifier) {
        return identifier >= 1 && identifier <= participants.size() ? participants.get(identifier - 1) : null;
    }

    public int threshold() {
        return threshold;
    }

    public int n() {
        return participants.size();
    }

    public String self() {
        return self;
    }

    public int selfId() {
        return selfId;
    }

    @Override
    public byte[] sessionIdBytes() {
        return sessionId.toBytes();
    }

    public SessionId sessionId() {
        return sessionId;
    }

    public long deadlineMillis() {
        return deadlineMillis;
    }

    @Override
    public String toString() {
        return "SessionSpec[request " + requestIdText() + ", " + curveName() + ", " + threshold + "-of-" + n() + "]";
    }
}
