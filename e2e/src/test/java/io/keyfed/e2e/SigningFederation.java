package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.cli.keys.SigningKey;

/**
 * The federation a signing IT runs in: the ledger, three parties, a 2-of-3 keyring ({@link #KEY_FEE},
 * {@link #SIG_FEE}) and three connectors, and the owner's keys, made and FULFILLED; then the owner's sign requests,
 * with the highest id remembered, so that the next request's session id and coordinators can be computed beforehand
 * ({@link SignSessionId}).
 */
final class SigningFederation {
    static final long KEY_FEE = 100;
    static final long SIG_FEE = 7;

    final Federation fed;
    final Client client;
    final SigningKey owner;
    final String keyring;
    /** The keys made, in the order of the key types asked for. */
    final List<Long> keys;
    /** The highest sign request id this test created (ids are sequential from 1). */
    private long lastSignId;

    private SigningFederation(Federation fed, Client client, SigningKey owner, String keyring, List<Long> keys) {
        this.fed = fed;
        this.client = client;
        this.owner = owner;
        this.keyring = keyring;
        this.keys = keys;
    }

    /**
     * Starts the ledger (genesis: {@code owner} and {@code admin} funded), three parties, the keyring
     * {@code admin} makes and its connectors, and requests one key of each type in a new workspace of the owner;
     * each must be FULFILLED. {@code fed} stays the caller's to close.
     */
    static SigningFederation start(Federation fed, SigningKey owner, long ownerFunds, SigningKey admin,
            long adminFunds, String description, String... keyTypes) throws Exception {
        Path genesis = fed.writeGenesis(Map.of(owner, ownerFunds, admin, adminFunds));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        Client client = new Client(fed);
        String keyring = client.newKeyring(admin, 2, KEY_FEE, SIG_FEE, description, fed.parties);
        fed.startConnectors(keyring);
        String workspace = client.newWorkspace(owner);
        List<Long> keys = new ArrayList<>();
        for (String type : keyTypes) {
            keys.add(client.requestKey(owner, workspace, keyring, type, 120));
        }
        for (long id : keys) {
            JsonNode r = client.awaitFinal(id, 180);
            assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        }
        return new SigningFederation(fed, client, owner, keyring, List.copyOf(keys));
    }

    /** Submits the owner's sign request; remembers its id. */
    long sign(long key, List<byte[]> messages, long timeoutSeconds) throws Exception {
        long id = client.requestSignatures(owner, key, messages, timeoutSeconds);
        lastSignId = Math.max(lastSignId, id);
        return id;
    }

    long lastSignId() {
        return lastSignId;
    }

    /** The session id and coordinators the next sign request (id {@code lastSignId() + 1}) will have. */
    Prediction predictNext(long key, SignatureScheme scheme, List<byte[]> messages) throws Exception {
        long id = lastSignId + 1;
        JsonNode k = client.request(key);
        List<String> snapshot = SignedRequests.snapshot(k);
        byte[] sid = SignSessionId.derive(Federation.CHAIN_ID, id, key, scheme, SignMessages.hash(messages), snapshot,
                k.path("party_threshold").asInt());
        return new Prediction(id, sid, snapshot);
    }

    /** What a sign request will be: its id, its session id, and so the coordinator of each attempt. */
    final class Prediction {
        final long id;
        final byte[] sid;
        private final List<String> snapshot;

        private Prediction(long id, byte[] sid, List<String> snapshot) {
            this.id = id;
            this.sid = sid;
            this.snapshot = snapshot;
        }

        /** The party that coordinates attempt {@code a}. */
        Federation.Party coordinator(int a) {
            return party(snapshot.get(SignSessionId.coordinator(sid, a, snapshot.size())));
        }
    }

    Federation.Party party(String address) {
        return fed.parties.stream().filter(p -> p.address.equals(address)).findFirst().orElseThrow();
    }

    /** The faults party {@code p} recorded for sign request {@code id}: its GET /admin/signing/faults (200 expected). */
    List<JsonNode> signingFaults(Federation.Party p, long id) throws Exception {
        String path = "/admin/signing/faults";
        HttpResponse<String> res = fed.admin(p, "GET", path, p.adminToken());
        assertEquals(200, res.statusCode(), path + " on party " + p.index + ": " + res.body());
        List<JsonNode> faults = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(res.body()).path("faults")) {
            if (f.path("sign_request_id").asText().equals(Long.toString(id))) {
                faults.add(f);
            }
        }
        return faults;
    }
}
