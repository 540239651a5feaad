package io.keyfed.party.it;

import static io.keyfed.party.it.ProcessSupport.exec;
import static io.keyfed.party.it.ProcessSupport.freePort;
import static io.keyfed.party.it.ProcessSupport.http;
import static io.keyfed.party.it.ProcessSupport.java;
import static io.keyfed.party.it.ProcessSupport.writeAdminToken;
import static io.keyfed.party.it.ProcessSupport.writePin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.party.it.ProcessSupport.Result;
import io.keyfed.platform.db.EmbeddedPostgresMain;

/**
 * Sealing-key rotation with a real party process: its own SoftHSM2 token (hsm-config/init-token.sh,
 * random PINs) and its own embedded PostgreSQL; shares come from real 1-of-1 Keygen sessions. The
 * rotation runs through {@code POST /admin/sealing-key/rotate} on the management port, with the admin token,
 * while another Keygen runs (without the token, with a wrong one, or on the main port, it is refused and
 * nothing changes); then every row
 * names the new key, every share matches, the old key is gone from the token (admin listing and
 * party-tool hsm-check), and a restarted party opens every share. A row tampered with before a rotation
 * is reported by request id, the old key stays, nothing else is lost, and the rotation continues once the
 * row is restored, across a restart.
 */
class SealingKeyRotationIT {
    private static final String CHAIN_ID = "keyfed-rotation-it";
    private static final String KEYRING = Addresses.account("keyring",
            Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(4242)));
    private static final Duration START_WAIT = Duration.ofSeconds(120);
    private static final String BASE = "keyfed-sealing";
    private static final Path APP = Path.of(System.getProperty("party.app", "target/quarkus-app")).toAbsolutePath();
    private static final Path HSM_CONFIG = Path.of(System.getProperty("keyfed.hsm.config.dir", "../../hsm-config"))
            .toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static int port;
    private static int managementPort;
    private static String adminToken;
    private static String address;
    private static byte[] identityKey;
    private static Process process;
    private static ManagedChannel channel;
    private static final Map<Long, KeygenRequest> CALLS = new TreeMap<>();
    private static final Map<Long, PartyResponse> ANSWERS = new HashMap<>();

    /** The ledger the party confirms the test's requests with. */
    private static io.keyfed.party.ledger.TestLedger ledger;

    @BeforeAll
    static void startParty() throws Exception {
        ledger = io.keyfed.party.ledger.TestLedger.start(CHAIN_ID);
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "package the party first: " + APP);
        dir = Path.of("target", "it-rotation", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(dir);
        port = freePort();
        managementPort = freePort();
        adminToken = writeAdminToken(dir.resolve("admin.token"));
        writePin(dir.resolve("so.pin"));
        writePin(dir.resolve("user.pin"));
        Map<String, String> env = new HashMap<>(tokenEnv());
        env.put("KEYFED_HSM_LABEL", "keyfed-rotation-it");
        env.put("KEYFED_HSM_SO_PIN_FILE", dir.resolve("so.pin").toString());
        env.put("KEYFED_HSM_USER_PIN_FILE", dir.resolve("user.pin").toString());
        env.put("KEYFED_HSM_SUNPKCS11_CFG", dir.resolve("sunpkcs11.cfg").toString());
        Result init = exec(List.of("bash", HSM_CONFIG.resolve("init-token.sh").toString()), env,
                dir.resolve("init-token.log"));
        assertEquals(0, init.exit, "init-token.sh: " + init.output);
        Result id = exec(partyTool("identity"), tokenEnv(), dir.resolve("identity.log"));
        assertEquals(0, id.exit, "party-tool identity: " + id.output);
        String line = id.stdout.strip();
        int colon = line.lastIndexOf(':');
        address = line.substring(0, colon);
        identityKey = java.util.HexFormat.of().parseHex(line.substring(colon + 1));
        start();
    }

    @AfterAll
    static void stopParty() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        stop();
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void rotatesTheSealingKeyWhileServingAndKeepsTheOldKeyWhenAShareFails() throws Exception {
        // Stored shares from real sessions, all under generation 1.
        KeyType[] types = { KeyType.KEY_TYPE_ECDSA_SECP256K1, KeyType.KEY_TYPE_EDDSA_ED25519,
                KeyType.KEY_TYPE_BITCOIN_SECP256K1 };
        for (int i = 0; i < types.length; i++) {
            keygen(i + 1, types[i]);
        }
        JsonNode gens = json(get("/admin/sealing-key"));
        assertEquals(BASE, gens.get("current_key_id").asText());
        assertEquals(1, gens.get("generations").size());
        assertKeyIds(Map.of(1L, BASE, 2L, BASE, 3L, BASE));

        // Without the admin token, with a wrong one, or on the main port: refused, and nothing changes.
        HttpResponse<String> anonymous = http("POST", managementPort, "/admin/sealing-key/rotate", null);
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        HttpResponse<String> wrong = http("POST", managementPort, "/admin/sealing-key/rotate", "Bearer x" + adminToken);
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertEquals(404, http("POST", port, "/admin/sealing-key/rotate", "Bearer " + adminToken).statusCode());
        assertEquals(401, http("GET", managementPort, "/admin/keys/1/verify", null).statusCode());
        assertEquals(403, http("GET", managementPort, "/admin/keys/1/verify", "Bearer x" + adminToken).statusCode());
        assertEquals(gens, json(get("/admin/sealing-key")), "no sealing key made or retired");
        assertKeyIds(Map.of(1L, BASE, 2L, BASE, 3L, BASE));

        // Rotate while another Keygen runs.
        CompletableFuture<PartyResponse> concurrent = CompletableFuture.supplyAsync(() -> {
            try {
                return keygen(4, KeyType.KEY_TYPE_ECDSA_SECP256K1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> rotated = post("/admin/sealing-key/rotate");
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, concurrent.get(120, TimeUnit.SECONDS).getStatus());
        assertEquals(200, rotated.statusCode(), rotated.body());
        JsonNode r = json(rotated);
        assertEquals(BASE, r.get("old_key_id").asText(), rotated.body());
        assertEquals(BASE + "-2", r.get("new_key_id").asText(), rotated.body());
        assertTrue(r.get("retired").asBoolean(), rotated.body());
        assertFalse(r.get("resumed").asBoolean(), rotated.body());
        assertEquals(List.of(BASE), texts(r.get("retired_key_ids")));
        assertEquals(List.of(BASE + "-2"), texts(r.get("key_ids")));
        assertTrue(r.get("resealed").asInt() >= 3, rotated.body());
        assertTrue(r.get("verified").asInt() >= 3, rotated.body());
        assertNoSecretsIn(rotated.body());

        // Every row names the new key id and its share matches; the old key is gone from the token.
        assertKeyIds(Map.of(1L, BASE + "-2", 2L, BASE + "-2", 3L, BASE + "-2", 4L, BASE + "-2"));
        for (long id = 1; id <= 4; id++) {
            assertShareMatches(id);
        }
        gens = json(get("/admin/sealing-key"));
        assertEquals(BASE + "-2", gens.get("current_key_id").asText());
        assertEquals(1, gens.get("generations").size(), gens.toString());
        keygen(5, KeyType.KEY_TYPE_BITCOIN_SECP256K1);
        assertKeyIds(Map.of(5L, BASE + "-2"));

        // Stopped: the token holds generation 2 only (party-tool hsm-check). Restarted: every share opens.
        stop();
        Result check = exec(partyTool("hsm-check"), tokenEnv(), dir.resolve("hsm-check.log"));
        assertEquals(0, check.exit, check.output);
        assertTrue(Pattern.compile("(?m)^\\s+" + BASE + "-2\\s+sealing\\s+ok \\(token object, sensitive,"
                + " non-extractable").matcher(check.stdout).find(), check.output);
        assertFalse(Pattern.compile("(?m)^\\s+" + BASE + "\\s").matcher(check.stdout).find(), check.output);
        assertFalse(check.stdout.contains("sealing-old"), check.output);
        start();
        for (long id : CALLS.keySet()) {
            assertShareMatches(id);
            assertEquals(ANSWERS.get(id), stub().keygen(CALLS.get(id)).getResponse(), "stored answer of " + id);
        }

        // Failure: request 2's blob tampered with before rotating → reported, generation 2 kept, nothing lost.
        byte[] original = sealedShare(2);
        byte[] tampered = original.clone();
        tampered[tampered.length - 5] ^= 0x01;
        setSealedShare(2, tampered);
        HttpResponse<String> failed = post("/admin/sealing-key/rotate");
        assertEquals(409, failed.statusCode(), failed.body());
        JsonNode f = json(failed);
        assertEquals(List.of("2"), texts(f.get("failed_request_ids")), failed.body());
        assertTrue(f.get("failures").get("2").asText().contains("does not open"), failed.body());
        assertFalse(f.get("retired").asBoolean(), failed.body());
        assertEquals(BASE + "-3", f.get("new_key_id").asText(), failed.body());
        assertEquals(List.of(BASE + "-2", BASE + "-3"), texts(f.get("key_ids")), failed.body());
        assertNoSecretsIn(failed.body());
        assertArrayEquals(tampered, sealedShare(2), "the failing row is left as it was");
        assertKeyIds(Map.of(1L, BASE + "-3", 3L, BASE + "-3", 4L, BASE + "-3", 5L, BASE + "-3"));
        for (long id : List.of(1L, 3L, 4L, 5L)) {
            assertShareMatches(id);
        }
        assertEquals(409, verify(2).statusCode());
        keygen(6, KeyType.KEY_TYPE_EDDSA_ED25519); // the party keeps serving
        assertKeyIds(Map.of(6L, BASE + "-3"));

        // The operator restores the row (e.g. from a backup): it opens under generation 2, still in the token,
        // also after a restart, which finds blobs under both generations and generation 3 current.
        setSealedShare(2, original);
        assertShareMatches(2);
        stop();
        start();
        gens = json(get("/admin/sealing-key"));
        assertEquals(BASE + "-3", gens.get("current_key_id").asText(), gens.toString());
        assertEquals(2, gens.get("generations").size(), gens.toString());
        for (long id : CALLS.keySet()) {
            assertShareMatches(id);
        }

        // Running the rotation again continues it (no fourth key) and retires generation 2.
        HttpResponse<String> resumed = post("/admin/sealing-key/rotate");
        assertEquals(200, resumed.statusCode(), resumed.body());
        JsonNode z = json(resumed);
        assertTrue(z.get("resumed").asBoolean(), resumed.body());
        assertEquals(BASE + "-3", z.get("new_key_id").asText(), resumed.body());
        assertEquals(1, z.get("resealed").asInt(), resumed.body());
        assertEquals(CALLS.size(), z.get("verified").asInt(), resumed.body());
        assertEquals(List.of(BASE + "-2"), texts(z.get("retired_key_ids")), resumed.body());
        assertEquals(List.of(BASE + "-3"), texts(z.get("key_ids")), resumed.body());
        Map<Long, String> expected = new HashMap<>();
        for (long id : CALLS.keySet()) {
            expected.put(id, BASE + "-3");
            assertShareMatches(id);
        }
        assertKeyIds(expected);
        String log = Files.readString(dir.resolve("party.log"));
        assertTrue(log.contains("sealing-key rotation done"), "rotation logged");
        for (long id : CALLS.keySet()) {
            assertTrue(Pattern.compile("request " + id + ": session outcome FULFILLED \\([^\n]*, trace " + traceId(id)
                    + "\\)").matcher(log).find(), "outcome line of request " + id + " with its trace id");
        }
        assertFalse(log.contains(Files.readString(dir.resolve("user.pin")).strip()), "no PIN in the log");
        assertFalse(log.contains(Files.readString(dir.resolve("so.pin")).strip()), "no SO PIN in the log");
        assertFalse(log.contains(adminToken), "no admin token in the log");
        assertTrue(log.contains("POST /admin/sealing-key/rotate from") && log.contains("refused: wrong admin token"),
                "admin calls and refusals logged");
    }

    // ------------------------------------------------------------------------------ party calls

    private static PartyResponse keygen(long id, KeyType type) throws Exception {
        KeygenRequest call = KeygenRequest.newBuilder().setChainId(CHAIN_ID).setRequest(KeyRequest.newBuilder()
                .setId(id).setKeyringAddr(KEYRING).setKeyType(type).setPartyThreshold(1)
                .setDeadlineUnixMs(System.currentTimeMillis() + 60_000).addParties(KeyringParty.newBuilder()
                        .setAddress(address).setPublicKey(ByteString.copyFrom(identityKey))))
                .setTraceparent("00-" + traceId(id) + "-00f067aa0ba902b7-01")
                .build();
        ledger.register(call.getRequest());
        ListenableFuture<KeygenResponse> f = PartyGrpc.newFutureStub(channel())
                .withDeadlineAfter(90, TimeUnit.SECONDS).keygen(call);
        PartyResponse r = f.get(120, TimeUnit.SECONDS).getResponse();
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
        synchronized (CALLS) {
            CALLS.put(id, call);
            ANSWERS.put(id, r);
        }
        return r;
    }

    /** The trace id each test Keygen call carries: the session's outcome line must name it. */
    private static String traceId(long requestId) {
        return "4bf92f3577b34da6a3ce929d" + String.format("%08x", requestId);
    }

    private static PartyGrpc.PartyBlockingStub stub() {
        return PartyGrpc.newBlockingStub(channel()).withDeadlineAfter(90, TimeUnit.SECONDS);
    }

    private static synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        }
        return channel;
    }

    private static void assertShareMatches(long requestId) throws Exception {
        HttpResponse<String> r = verify(requestId);
        assertEquals(200, r.statusCode(), "request " + requestId + ": " + r.body());
        assertTrue(r.body().contains("\"verification_share_matches\":true"), r.body());
    }

    private static HttpResponse<String> verify(long requestId) throws Exception {
        return get("/admin/keys/" + requestId + "/verify");
    }

    /** GET on the management port with the admin token. */
    private static HttpResponse<String> get(String path) throws Exception {
        return http("GET", managementPort, path, "Bearer " + adminToken);
    }

    /** POST on the management port with the admin token. */
    private static HttpResponse<String> post(String path) throws Exception {
        return http("POST", managementPort, path, "Bearer " + adminToken);
    }


    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Responses name keys and requests, never key material or shares (no long hex or base64 runs). */
    private static void assertNoSecretsIn(String body) {
        assertFalse(Pattern.compile("[0-9a-fA-F]{32,}").matcher(body).find(), body);
        assertFalse(Pattern.compile("[A-Za-z0-9+/=]{40,}").matcher(body).find(), body);
    }

    // ------------------------------------------------------------------------------ database

    private static Connection db() throws Exception {
        int pgPort = Integer.parseInt(Files.readString(dir.resolve("data").resolve("pgdata.port")).strip());
        String password = Files.readString(dir.resolve("data").resolve("pgdata")
                .resolve(EmbeddedPostgresMain.PASSWORD_FILE)).strip();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres",
                EmbeddedPostgresMain.USER, password);
    }

    private static byte[] sealedShare(long requestId) throws Exception {
        try (Connection db = db(); PreparedStatement q = db.prepareStatement(
                "select sealed_share from party_key_record where request_id = ?")) {
            q.setLong(1, requestId);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), "row of request " + requestId);
                return rs.getBytes(1);
            }
        }
    }

    private static void setSealedShare(long requestId, byte[] blob) throws Exception {
        try (Connection db = db(); PreparedStatement u = db.prepareStatement(
                "update party_key_record set sealed_share = ? where request_id = ?")) {
            u.setBytes(1, blob);
            u.setLong(2, requestId);
            assertEquals(1, u.executeUpdate());
        }
    }

    /** The key id in each row's sealed blob: version(1) | idLength(1) | id | IV | ciphertext | tag. */
    private static void assertKeyIds(Map<Long, String> expected) throws Exception {
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            byte[] blob = sealedShare(e.getKey());
            assertEquals(1, blob[0], "sealed format version");
            String keyId = new String(blob, 2, blob[1] & 0xff, StandardCharsets.UTF_8);
            assertEquals(e.getValue(), keyId, "key id in the sealed share of request " + e.getKey());
        }
        try (Connection db = db(); PreparedStatement q = db.prepareStatement(
                "select count(*) from party_key_record where length(sealed_share) = 0")) {
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "every stored answer here is FULFILLED, with a sealed share");
            }
        }
    }

    // ------------------------------------------------------------------------------ processes

    private static Map<String, String> tokenEnv() {
        return Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString());
    }

    private static List<String> partyTool(String command) {
        return ProcessSupport.partyTool(APP, dir, command);
    }

    private static void start() throws Exception {
        List<String> cmd = java();
        cmd.addAll(List.of(ProcessSupport.PLAINTEXT, "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort,
                "-Dkeyfed.party.admin.token-file=" + dir.resolve("admin.token"),
                "-Dkeyfed.party.hsm.config-file=" + dir.resolve("sunpkcs11.cfg"),
                "-Dkeyfed.party.hsm.pin-file=" + dir.resolve("user.pin"),
                "-Dkeyfed.party.data-dir=" + dir.resolve("data"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        cmd.addAll(ProcessSupport.ledgerOptions(ledger));
        cmd.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(tokenEnv());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("party.log").toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the party exited with " + process.exitValue() + "; see "
                        + dir.resolve("party.log"));
            }
            try {
                if (http("GET", managementPort, "/q/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the party did not become ready; see " + dir.resolve("party.log"));
    }

    private static void stop() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the party did not stop on SIGTERM");
        }
        process = null;
    }
}
