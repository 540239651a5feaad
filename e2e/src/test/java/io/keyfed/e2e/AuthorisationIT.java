package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.cli.keys.SigningKey;

/**
 * The attacks of "Authorised and authenticated", played against real processes with mutual TLS on. Each is tried
 * with no client certificate, with a certificate the target does not pin (issued by the federation's own CA),
 * with a pinned certificate of the wrong role, and, where it applies, with the target's own connector's
 * certificate (a compromised connector). Each first shows that the call reached the service (the status names
 * the refusal), and then that nothing was left behind: no stored row on any party, no session, and the owner's
 * real request afterwards fulfilled as the ledger recorded it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorisationIT {
    private static final long FEE = 100;
    private final SigningKey alice = Client.newKey("alice");
    private final SigningKey bob = Client.newKey("bob");
    private Federation fed;
    private Client client;
    private ShareAudit shares;
    private String workspace;
    private String keyring;

    @BeforeAll
    void startFederation() throws Exception {
        fed = new Federation("authz");
        Path genesis = fed.writeGenesis(Map.of(alice, 1_000_000L, bob, 1_000L));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        shares = new ShareAudit(fed);
        workspace = client.newWorkspace(alice);
        keyring = client.newKeyring(bob, 2, FEE, fed.parties);
        fed.startConnectors(keyring);
        // Certificates from the federation's own CA that no party pins, one naming party 1's connector: whoever
        // holds the CA cannot stand in for a party or a connector.
        fed.issueCertificate("client-mallory", "keyfed:client:mallory");
        fed.issueCertificate("impostor-connector", "keyfed:connector:" + fed.parties.get(0).address);
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    // ------------------------------------------------------------------------------------------- the attacks

    @Test
    @Order(1)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aMadeUpThresholdDowngradeIsRefusedAndTheRealRequestGetsAThreeHolderKey() throws Exception {
        long next = realKey() + 1;
        List<Federation.Party> two = fed.parties.subList(0, 2);
        KeyRequest forged = madeUp(next, two, 1);
        for (Federation.Party target : two) {
            refusedEveryWay(target, forged);
        }
        assertNoTrace(next);

        long real = client.requestKey(alice, workspace, keyring, "ecdsa", 120);
        assertEquals(next, real, "the owner's request took the id the forgery aimed at");
        JsonNode r = client.awaitFinal(real, 120);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        assertEquals(2, r.path("party_threshold").asInt(), r.toString());
        assertEquals(3, r.path("parties").size(), r.toString());
        // Three holders: each party stored a share of it, under the id the forgery aimed at (the row assertNoTrace
        // looked for), and it opens.
        shares.assertEveryPartyHolds(real, r.path("public_key").asText(), r.path("deadline_unix_ms").asLong());
    }

    @Test
    @Order(2)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aMadeUpRequestForTheNextIdDoesNotRejectTheRealOne() throws Exception {
        long next = realKey() + 1;
        // Exactly what the real request will carry, but not yet on the ledger.
        KeyRequest forged = madeUp(next, fed.parties, 2);
        for (Federation.Party target : fed.parties) {
            refusedEveryWay(target, forged);
        }
        assertNoTrace(next);
        long real = client.requestKey(alice, workspace, keyring, "ecdsa", 120);
        assertEquals(next, real);
        JsonNode r = client.awaitFinal(real, 120);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        shares.assertEveryPartyHolds(real, r.path("public_key").asText(), r.path("deadline_unix_ms").asLong());
    }

    @Test
    @Order(3)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void madeUpSessionsDoNotTakeAPartysSlots() throws Exception {
        long next = realKey() + 1;
        Federation.Party target = fed.parties.get(0);
        double before = fed.partyMetric(target, "keyfed_party_sessions_total");
        Path cert = fed.tlsFile("connector-" + target.address + ".crt");
        Path key = fed.tlsFile("connector-" + target.address + ".key");
        ManagedChannel ch = Tls.channel(target.port, fed.caFile(), cert, key);
        try {
            // More than the party's 64 session slots, all at once, from its own (compromised) connector.
            List<Status> statuses = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                statuses.add(call(ch, madeUp(next + 1000 + i, fed.parties, 1)));
            }
            for (Status s : statuses) {
                assertEquals(Status.Code.NOT_FOUND, s.getCode(), s.toString());
            }
        } finally {
            ch.shutdownNow();
        }
        long real = client.requestKey(alice, workspace, keyring, "ecdsa", 120);
        JsonNode r = client.awaitFinal(real, 120);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        // Only the real request ran a session on the party (its session may end just after the ledger fulfils).
        double after = fed.partyMetric(target, "keyfed_party_sessions_total");
        for (int i = 0; i < 300 && after < before + 1; i++) {
            Thread.sleep(200);
            after = fed.partyMetric(target, "keyfed_party_sessions_total");
        }
        assertEquals(before + 1, after, 0.0);
        // The party's rows hold the real request (the lookup below finds what is there) and none of the made-up ones.
        shares.assertEveryPartyHolds(real, r.path("public_key").asText(), r.path("deadline_unix_ms").asLong());
        Map<Long, String> rows = PartyDb.records(target);
        assertTrue(rows.containsKey(real), "party " + target.index + " has no row of request " + real);
        for (int i = 0; i < 80; i++) {
            assertFalse(rows.containsKey(next + 1000 + i), "party " + target.index + " stored a result for made-up "
                    + "request " + (next + 1000 + i));
        }
    }

    @Test
    @Order(4)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void rotatingASealingKeyNeedsTheAdminCredential() throws Exception {
        Federation.Party p = fed.parties.get(0);
        String before = admin(p, "GET", "/admin/sealing-key", p.adminToken()).body();
        assertEquals(401, admin(p, "POST", "/admin/sealing-key/rotate", null).statusCode());
        assertEquals(403, admin(p, "POST", "/admin/sealing-key/rotate", "not-the-token").statusCode());
        assertEquals(before, admin(p, "GET", "/admin/sealing-key", p.adminToken()).body(),
                "a refused rotation changed the sealing key's generations");
        assertPlainTextRefused(p.managementPort);
    }

    @Test
    @Order(5)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void checkingAShareNeedsTheAdminCredential() throws Exception {
        Federation.Party p = fed.parties.get(0);
        long id = realKey();
        String path = "/admin/keys/" + id + "/verify";
        double unseals = fed.partyMetric(p, "keyfed_party_hsm_operation_duration_seconds_count", "operation", "unseal");
        assertEquals(401, admin(p, "GET", path, null).statusCode());
        assertEquals(403, admin(p, "GET", path, "not-the-token").statusCode());
        assertEquals(unseals, fed.partyMetric(p, "keyfed_party_hsm_operation_duration_seconds_count", "operation",
                "unseal"), 0.0, "a refused share check made the token unseal");
        // The endpoint is there and works with the credential.
        HttpResponse<String> ok = admin(p, "GET", path, p.adminToken());
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    @Order(6)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void everyPortRefusesPlainText() throws Exception {
        List<Integer> ports = new ArrayList<>(List.of(fed.ledgerPort));
        for (Federation.Party p : fed.parties) {
            ports.add(p.port);
            ports.add(p.managementPort);
        }
        for (ManagedProcess c : fed.connectors) {
            ports.add(c.port);
        }
        for (int port : ports) {
            assertPlainTextRefused(port);
        }
        // gRPC in plain text too, while the same call over TLS is answered.
        Federation.Party p = fed.parties.get(0);
        ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", p.port).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> PartyGrpc
                    .newBlockingStub(plain).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getIdentity(GetIdentityRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        } finally {
            plain.shutdownNow();
        }
        ManagedChannel tls = Tls.channel(p.port, fed.caFile(), null, null);
        try {
            assertEquals(p.address, PartyGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getIdentity(GetIdentityRequest.getDefaultInstance()).getAddress());
        } finally {
            tls.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** One real key, fulfilled; its id (so the next request's id is known). */
    private long realKey() throws Exception {
        long id = client.requestKey(alice, workspace, keyring, "ecdsa", 120);
        JsonNode r = client.awaitFinal(id, 120);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());
        return id;
    }

    private KeyRequest madeUp(long id, List<Federation.Party> snapshot, int threshold) {
        KeyRequest.Builder b = KeyRequest.newBuilder().setId(id).setCreator(alice.address("zen"))
                .setWorkspaceAddr(workspace).setKeyringAddr(keyring).setKeyType(KeyType.KEY_TYPE_ECDSA_SECP256K1)
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING).setFee(Long.toString(FEE))
                .setDeadlineUnixMs(System.currentTimeMillis() + 60_000).setPartyThreshold(threshold);
        snapshot.stream().sorted(Comparator.comparing(p -> p.address)).forEach(p -> b.addParties(KeyringParty
                .newBuilder().setAddress(p.address).setPublicKey(ByteString.fromHex(p.publicKeyHex))));
        return b.build();
    }

    /**
     * Keygen of {@code forged} on {@code target} is refused with no certificate (UNAUTHENTICATED), with CA-issued
     * certificates the party does not pin, one of them naming its connector (PERMISSION_DENIED), with a peer
     * party's certificate (PERMISSION_DENIED) and with its own connector's (NOT_FOUND: the ledger does not know
     * the request, so no session starts).
     */
    private void refusedEveryWay(Federation.Party target, KeyRequest forged) throws Exception {
        Federation.Party other = fed.parties.stream().filter(p -> p != target).findFirst().orElseThrow();
        assertEquals(Status.Code.UNAUTHENTICATED, keygen(target, null, forged).getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, keygen(target, "client-mallory", forged).getCode());
        if (target == fed.parties.get(0)) {
            assertEquals(Status.Code.PERMISSION_DENIED, keygen(target, "impostor-connector", forged).getCode());
        }
        assertEquals(Status.Code.PERMISSION_DENIED, keygen(target, "party-" + other.address, forged).getCode());
        Status compromised = keygen(target, "connector-" + target.address, forged);
        assertEquals(Status.Code.NOT_FOUND, compromised.getCode(), compromised.toString());
    }

    private Status keygen(Federation.Party target, String certName, KeyRequest r) {
        ManagedChannel ch = Tls.channel(target.port, fed.caFile(),
                certName == null ? null : fed.tlsFile(certName + ".crt"),
                certName == null ? null : fed.tlsFile(certName + ".key"));
        try {
            return call(ch, r);
        } finally {
            ch.shutdownNow();
        }
    }

    private static Status call(ManagedChannel ch, KeyRequest r) {
        try {
            PartyGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .keygen(KeygenRequest.newBuilder().setChainId(Federation.CHAIN_ID).setRequest(r).build());
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** No party stored anything for request {@code id}. */
    private void assertNoTrace(long id) throws Exception {
        for (Federation.Party p : fed.parties) {
            assertFalse(PartyDb.records(p).containsKey(id), "party " + p.index + " stored a result for " + id);
        }
    }

    private HttpResponse<String> admin(Federation.Party p, String method, String path, String token) throws Exception {
        return fed.admin(p, method, path, token);
    }

    /** A plain-text HTTP request to {@code port} gets no HTTP answer; the same port answers HTTP over TLS. */
    private void assertPlainTextRefused(int port) throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("port " + port + " answered plain text with HTTP " + r.statusCode());
        } catch (IOException expected) {
            // the TLS server closed the connection (or answered with a TLS alert)
        }
        HttpResponse<String> tls = fed.http().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/q/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        // Over TLS the same port answers HTTP (200, or the JSON 404 of a party's gRPC-only port).
        assertTrue(tls.statusCode() == 200 || tls.statusCode() == 404, "port " + port + " over TLS: HTTP "
                + tls.statusCode());
    }
}
