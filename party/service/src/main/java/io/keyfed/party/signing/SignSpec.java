package io.keyfed.party.signing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.grpc.Status;
import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.party.frost.Ciphersuite;
import io.keyfed.party.session.EnvelopeHeaders;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.SessionParties;
import io.keyfed.party.session.SnapshotKeys;

/**
 * The validated, public parameters of one sign request's signing session, as this party sees them, built from the
 * ledger's own copy of the request (never from a caller's): the key, its snapshot and threshold, the messages and
 * their hash, the protocol the key's type signs with (FROST with its ciphersuite, or DKLs23 for ECDSA), and the
 * signing session id ({@link SignSessionId}).
 */
public final class SignSpec implements SessionParties {
    private final String chainId;
    private final SignRequest request;
    private final Ciphersuite suite;
    private final List<String> snapshot;
    private final Map<String, byte[]> identityKeys;
    private final List<byte[]> messages;
    private final byte[] messagesHash;
    private final String self;
    private final byte[] sessionId;

    private SignSpec(String chainId, SignRequest request, Ciphersuite suite, List<String> snapshot,
            Map<String, byte[]> identityKeys, String self) {
        this.chainId = chainId;
        this.request = request;
        this.suite = suite;
        this.snapshot = snapshot;
        this.identityKeys = identityKeys;
        List<byte[]> ms = new ArrayList<>();
        request.getMessagesList().forEach(m -> ms.add(m.toByteArray()));
        this.messages = List.copyOf(ms);
        this.messagesHash = SignMessages.hash(messages);
        this.self = self;
        this.sessionId = SignSessionId.derive(chainId, request.getId(), request.getKeyId(), request.getScheme(),
                messagesHash, snapshot, request.getPartyThreshold());
    }

    /**
     * The session of {@code request} (the ledger's copy) for this party.
     *
     * @throws PartyException INVALID_ARGUMENT for a malformed request or a snapshot without this party,
     *                        UNIMPLEMENTED for a scheme and key type this party does not sign
     */
    public static SignSpec of(String chainId, SignRequest request, String prefix, String self, byte[] selfKey) {
        String id = Long.toUnsignedString(request.getId());
        if (request.getId() == 0) {
            throw PartyException.invalid("sign request id must be at least 1");
        }
        Ciphersuite suite = isEcdsa(request) ? null : suiteOf(request);
        int n = request.getPartiesCount();
        int t = request.getPartyThreshold();
        if (n < 1 || n > SignSessionId.MAX_PARTIES || t < 1 || t > n) {
            throw PartyException.invalid("sign request " + id + ": " + t + "-of-" + n + " is not a valid snapshot");
        }
        int m = request.getMessagesCount();
        if (m < 1 || m > SigningWire.MAX_MESSAGES) {
            throw PartyException.invalid("sign request " + id + " has " + m + " messages; expected 1 to "
                    + SigningWire.MAX_MESSAGES);
        }
        if (suite == null) {
            for (int k = 0; k < m; k++) {
                if (request.getMessages(k).size() != DklsWire.DIGEST_LENGTH) {
                    throw PartyException.invalid("sign request " + id + ": message " + k + " is "
                            + request.getMessages(k).size() + " bytes; ECDSA signs 32-byte digests");
                }
            }
        }
        Map<String, byte[]> keys = SnapshotKeys.validate(request.getPartiesList(), prefix, self, selfKey, id);
        List<String> snapshot = new ArrayList<>();
        request.getPartiesList().forEach(p -> snapshot.add(p.getAddress()));
        if (!snapshot.equals(new ArrayList<>(new TreeSet<>(snapshot)))) {
            throw PartyException.invalid("sign request " + id + ": the party snapshot is not sorted by address");
        }
        return new SignSpec(chainId, request, suite, List.copyOf(snapshot), keys, self);
    }

    /** Whether a request is ECDSA over secp256k1 for an ecdsa or bitcoin key, which DKLs23 signs. */
    static boolean isEcdsa(SignRequest r) {
        return r.getScheme() == SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1
                && (r.getKeyType() == KeyType.KEY_TYPE_ECDSA_SECP256K1
                        || r.getKeyType() == KeyType.KEY_TYPE_BITCOIN_SECP256K1);
    }

    /** The FROST ciphersuite of a request: FROST(Ed25519, SHA-512) for ed25519 keys, BIP-340/Taproot for taproot. */
    static Ciphersuite suiteOf(SignRequest r) {
        String id = Long.toUnsignedString(r.getId());
        if (r.getScheme() == SignatureScheme.SIGNATURE_SCHEME_ED25519
                && r.getKeyType() == KeyType.KEY_TYPE_EDDSA_ED25519) {
            return Ciphersuite.ED25519_SHA512;
        }
        if (r.getScheme() == SignatureScheme.SIGNATURE_SCHEME_BIP340
                && r.getKeyType() == KeyType.KEY_TYPE_BITCOIN_TAPROOT) {
            return Ciphersuite.TAPROOT;
        }
        throw new PartyException(Status.Code.UNIMPLEMENTED, "sign request " + id + ": this party signs ed25519 keys"
                + " (Ed25519) and taproot keys (BIP-340) with FROST, ecdsa and bitcoin keys (ECDSA) with DKLs23; "
                + r.getScheme() + " for " + r.getKeyType() + " is not available");
    }

    /**
     * Whether the largest message of this request's session fits in a signing envelope: FROST's PACKAGE
     * ({@link EnvelopeHeaders#MAX_SIGNING_PAYLOAD_BYTES}), DKLs23's ROUND2
     * ({@link EnvelopeHeaders#MAX_DKLS_PAYLOAD_BYTES}).
     */
    /** The most 32-byte digests one ECDSA (DKLs23) sign request can carry: its round messages fit one envelope. */
    public static int maxEcdsaDigests() {
        return DklsWire.maxDigests();
    }

    boolean packageFits() {
        if (suite == null) {
            return DklsWire.round2Bytes(messages.size()) <= EnvelopeHeaders.MAX_DKLS_PAYLOAD_BYTES;
        }
        return SigningWire.packageBytes(suite.curve(), threshold(), messages.size())
                <= EnvelopeHeaders.MAX_SIGNING_PAYLOAD_BYTES;
    }

    /** Whether this request signs ECDSA with DKLs23 (then {@link #suite} is null). */
    public boolean ecdsa() {
        return suite == null;
    }

    /** The protocol's name in logs: DKLs23 or the FROST ciphersuite's context string. */
    public String protocolName() {
        return suite == null ? "DKLs23 secp256k1" : suite.contextString();
    }

    public String chainId() {
        return chainId;
    }

    /** The ledger's copy of the request. */
    public SignRequest request() {
        return request;
    }

    @Override
    public long requestId() {
        return request.getId();
    }

    public long keyId() {
        return request.getKeyId();
    }

    /** The FROST ciphersuite; null for an ECDSA request ({@link #ecdsa}). */
    public Ciphersuite suite() {
        return suite;
    }

    /** The messages, in the request's order (copies of the list's arrays are not made: do not modify them). */
    public List<byte[]> messages() {
        return messages;
    }

    public byte[] messagesHash() {
        return messagesHash.clone();
    }

    public int threshold() {
        return request.getPartyThreshold();
    }

    public long deadlineMillis() {
        return request.getDeadlineUnixMs();
    }

    /** The ordered snapshot (sorted by address); identifiers are 1-based positions in it. */
    public List<String> snapshot() {
        return snapshot;
    }

    public String addressOf(int identifier) {
        return snapshot.get(identifier - 1);
    }

    public int selfId() {
        return identifierOf(self);
    }

    @Override
    public byte[] sessionIdBytes() {
        return sessionId.clone();
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public Set<String> peers() {
        Set<String> peers = new java.util.LinkedHashSet<>(snapshot);
        peers.remove(self);
        return peers;
    }

    @Override
    public byte[] identityKey(String address) {
        return identityKeys.get(address).clone();
    }

    @Override
    public boolean isParticipant(String address) {
        return identityKeys.containsKey(address);
    }

    @Override
    public int identifierOf(String address) {
        int i = snapshot.indexOf(address);
        if (i < 0) {
            throw new IllegalArgumentException("not a participant: " + address);
        }
        return i + 1;
    }

    @Override
    public int n() {
        return snapshot.size();
    }

    @Override
    public String toString() {
        return "SignSpec[sign request " + requestIdText() + ", key " + Long.toUnsignedString(keyId()) + ", "
                + protocolName() + ", " + threshold() + "-of-" + n() + ", " + messages.size() + " messages]";
    }
}
