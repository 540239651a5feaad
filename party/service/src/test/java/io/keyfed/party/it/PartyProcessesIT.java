package io.keyfed.party.it;

import static io.keyfed.party.it.ProcessSupport.exec;
import static io.keyfed.party.it.ProcessSupport.freePort;
import static io.keyfed.party.it.ProcessSupport.java;
import static io.keyfed.party.it.ProcessSupport.writeAdminToken;
import static io.keyfed.party.it.ProcessSupport.writePin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.party.it.ProcessSupport.Result;
import io.keyfed.platform.db.EmbeddedPostgresMain;

/**
 * Issue 3's integration test, with real processes: three packaged parties ({@code java -jar}), each with
 * its own SoftHSM2 token created here (hsm-config/init-token.sh, random PINs) and its own embedded
 * PostgreSQL in its data directory; the test plays the connectors. One key of each key type: the public
 * keys agree, every response signature verifies against the party's identity key; party-tool hsm-check
 * reports the token's keys sensitive and non-extractable; a restarted party returns its stored answers and
 * its shares open to the stored verification shares; a sealed blob tampered with in the database is
 * refused.
 */
class PartyProcessesIT {
    private static final String CHAIN_ID = "keyfed-it";
    private static final String KEYRING = Addresses.account("keyring",
            Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(31337)));
    private static final Duration START_WAIT = Duration.ofSeconds(120);
    private static final KeyType[] TYPES = { KeyType.KEY_TYPE_ECDSA_SECP256K1, KeyType.KEY_TYPE_EDDSA_ED25519,
            KeyType.KEY_TYPE_BITCOIN_SECP256K1 };

    private static final Path APP = Path.of(System.getProperty("party.app", "target/quarkus-app")).toAbsolutePath();
    private static final Path HSM_CONFIG = Path.of(System.getProperty("keyfed.hsm.config.dir", "../../hsm-config"))
            .toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<Party> PARTIES = new ArrayList<>();
    private static Path run;

    /** One party process: its folder (token, PINs, data), port and identity. */
    static final class Party {
        final int index;
        final Path dir;
        final int port;
        final int managementPort;
        String adminToken;
        String address;
        byte[] toolIdentityKey;
        Process process;
        ManagedChannel channel;

        Party(int index, Path dir, int port, int managementPort) {
            this.index = index;
            this.dir = dir;
            this.port = port;
            this.managementPort = managementPort;
        }

        Map<String, String> tokenEnv() {
            return Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString());
        }

        PartyGrpc.PartyBlockingStub stub() {
            if (channel == null) {
                channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            }
            return PartyGrpc.newBlockingStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS);
        }

        PartyGrpc.PartyFutureStub futureStub() {
            stub();
            return PartyGrpc.newFutureStub(channel).withDeadlineAfter(90, TimeUnit.SECONDS);
        }

        Path dataDir() {
            return dir.resolve("data");
        }
    }

    /** The ledger the parties confirm the test's requests with. */
    private static io.keyfed.party.ledger.TestLedger ledger;

    @BeforeAll
    static void startParties() throws Exception {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "package the party first: " + APP);
        run = Path.of("target", "it-parties", Long.toString(System.currentTimeMillis())).toAbsolutePath();
        ledger = io.keyfed.party.ledger.TestLedger.start(CHAIN_ID);
        Files.createDirectories(run);
        for (int i = 1; i <= 3; i++) {
            Party p = new Party(i, run.resolve("party" + i), freePort(), freePort());
            Files.createDirectories(p.dir);
            p.adminToken = writeAdminToken(p.dir.resolve("admin.token"));
            writePin(p.dir.resolve("so.pin"));
            writePin(p.dir.resolve("user.pin"));
            Map<String, String> env = new HashMap<>(p.tokenEnv());
            env.put("KEYFED_HSM_LABEL", "keyfed-it-party-" + i);
            env.put("KEYFED_HSM_SO_PIN_FILE", p.dir.resolve("so.pin").toString());
            env.put("KEYFED_HSM_USER_PIN_FILE", p.dir.resolve("user.pin").toString());
            env.put("KEYFED_HSM_SUNPKCS11_CFG", p.dir.resolve("sunpkcs11.cfg").toString());
            Result init = exec(List.of("bash", HSM_CONFIG.resolve("init-token.sh").toString()), env,
                    p.dir.resolve("init-token.log"));
            assertEquals(0, init.exit, "init-token.sh for party " + i + ": " + init.output);
            Result id = exec(partyTool("identity", p), p.tokenEnv(), p.dir.resolve("identity.log"));
            assertEquals(0, id.exit, "party-tool identity: " + id.output);
            String line = id.stdout.strip();
            int colon = line.lastIndexOf(':');
            p.address = line.substring(0, colon);
            p.toolIdentityKey = java.util.HexFormat.of().parseHex(line.substring(colon + 1));
            PARTIES.add(p);
        }
        for (Party p : PARTIES) {
            start(p);
        }
        for (Party p : PARTIES) {
            awaitReady(p);
        }
    }

    @AfterAll
    static void stopParties() throws Exception {
        for (Party p : PARTIES) {
            if (p.channel != null) {
                p.channel.shutdownNow();
            }
            if (p.process != null) {
                p.process.destroy();
            }
        }
        for (Party p : PARTIES) {
            stop(p);
        }
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void threePartyProcessesGenerateEveryKeyTypeKeepSharesSealedAndRefuseATamperedBlob() throws Exception {
        // GetIdentity: what a keyring registers, and what the party tool printed from the token.
        Map<String, byte[]> keys = new HashMap<>();
        for (Party p : PARTIES) {
            PartyIdentity identity = p.stub().getIdentity(GetIdentityRequest.getDefaultInstance());
            assertEquals(p.address, identity.getAddress());
            assertArrayEquals(p.toolIdentityKey, identity.getIdentityPublicKey().toByteArray());
            keys.put(identity.getAddress(), identity.getIdentityPublicKey().toByteArray());
        }

        // One key of each key type, the three Keygen calls at once as three connectors would.
        Map<Long, KeygenRequest> calls = new HashMap<>();
        Map<Long, List<PartyResponse>> answers = new HashMap<>();
        long id = 0;
        for (KeyType type : TYPES) {
            id++;
            KeygenRequest call = request(id, type, keys);
            calls.put(id, call);
            List<ListenableFuture<KeygenResponse>> futures = new ArrayList<>();
            for (Party p : PARTIES) {
                futures.add(p.futureStub().keygen(call));
            }
            List<PartyResponse> responses = new ArrayList<>();
            for (ListenableFuture<KeygenResponse> f : futures) {
                responses.add(f.get(120, TimeUnit.SECONDS).getResponse());
            }
            answers.put(id, responses);
            byte[] groupKey = responses.get(0).getPublicKey().toByteArray();
            assertEquals(type == KeyType.KEY_TYPE_EDDSA_ED25519 ? 32 : 33, groupKey.length, type.name());
            for (int i = 0; i < PARTIES.size(); i++) {
                Party p = PARTIES.get(i);
                PartyResponse r = responses.get(i);
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
                assertEquals(id, r.getRequestId());
                assertEquals(p.address, r.getPartyAddr());
                assertArrayEquals(groupKey, r.getPublicKey().toByteArray(), "public keys agree (" + type + ")");
                byte[] signBytes = PartyResponseSignBytes.of(CHAIN_ID, id, KEYRING, type, p.address, r.getStatus(),
                        r.getPublicKey().toByteArray(), r.getRejectReason(), r.getSessionId().toByteArray());
                assertTrue(Secp256k1.verify(keys.get(p.address), signBytes, r.getSignature().toByteArray()),
                        "response signature of party " + p.index + " (" + type + ")");
                Party other = PARTIES.get((i + 1) % PARTIES.size());
                assertFalse(Secp256k1.verify(keys.get(other.address), signBytes, r.getSignature().toByteArray()));
            }
        }

        // Each party's shares open in its token and match its stored verification shares.
        for (Party p : PARTIES) {
            for (long r : calls.keySet()) {
                assertShareMatches(p, r);
            }
        }

        // Stop party 1, inspect its token with party-tool (one login per process), start it again.
        Party first = PARTIES.get(0);
        first.channel.shutdownNow();
        first.channel = null;
        first.process.destroy();
        stop(first);
        assertFalse(Files.exists(first.dataDir().resolve("pgdata.port")), "embedded PostgreSQL stopped with the party");
        Result check = exec(partyTool("hsm-check", first), first.tokenEnv(), first.dir.resolve("hsm-check.log"));
        assertEquals(0, check.exit, check.output);
        long protectedKeys = check.stdout.lines()
                .filter(l -> l.contains("ok (token object, sensitive, non-extractable")).count();
        assertTrue(protectedKeys >= 3, "identity, agreement and sealing keys protected:\n" + check.output);
        assertFalse(check.output.contains("NOT PROTECTED"), check.output);
        assertTrue(check.output.contains("result: the token can serve a KeyFed party"), check.output);

        start(first);
        awaitReady(first);
        for (long r : calls.keySet()) {
            PartyResponse again = first.stub().keygen(calls.get(r)).getResponse();
            assertEquals(answers.get(r).get(0), again, "stored answer of request " + r + " after the restart");
            assertShareMatches(first, r);
        }

        // Tamper one byte of a stored sealed share, straight in party 1's database.
        int pgPort = Integer.parseInt(Files.readString(first.dataDir().resolve("pgdata.port")).strip());
        String pgPassword = Files.readString(first.dataDir().resolve("pgdata")
                .resolve(EmbeddedPostgresMain.PASSWORD_FILE)).strip();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres",
                EmbeddedPostgresMain.USER, pgPassword)) {
            byte[] sealed;
            try (PreparedStatement q = db.prepareStatement(
                    "select sealed_share from party_key_record where request_id = ?")) {
                q.setLong(1, 2);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next(), "party 1 stored request 2");
                    sealed = rs.getBytes(1);
                }
            }
            sealed[sealed.length / 2] ^= 0x01;
            try (PreparedStatement u = db.prepareStatement(
                    "update party_key_record set sealed_share = ? where request_id = ?")) {
                u.setBytes(1, sealed);
                u.setLong(2, 2);
                assertEquals(1, u.executeUpdate());
            }
        }
        HttpResponse<String> refused = verify(first, 2);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("sealed share for request 2 does not open"), refused.body());
        StatusRuntimeException keygen = assertThrows(StatusRuntimeException.class,
                () -> first.stub().keygen(calls.get(2L)));
        assertEquals(Status.Code.FAILED_PRECONDITION, keygen.getStatus().getCode());
        assertTrue(keygen.getStatus().getDescription().contains("sealed share for request 2 does not open"),
                keygen.getStatus().getDescription());
        // The other requests still open, and an unknown one is reported as such.
        assertShareMatches(first, 1);
        assertShareMatches(first, 3);
        assertEquals(404, verify(first, 99).statusCode());
    }

    private static void assertShareMatches(Party p, long requestId) throws Exception {
        HttpResponse<String> r = verify(p, requestId);
        assertEquals(200, r.statusCode(), "party " + p.index + " request " + requestId + ": " + r.body());
        assertTrue(r.body().contains("\"request_id\":\"" + requestId + "\""), r.body());
        assertTrue(r.body().contains("\"verification_share_matches\":true"), r.body());
    }

    private static HttpResponse<String> verify(Party p, long requestId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.managementPort + "/admin/keys/"
                + requestId + "/verify")).header("Authorization", "Bearer " + p.adminToken)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The connector's Keygen call: parties sorted by address with their identity keys, 2-of-3; on the ledger. */
    private static KeygenRequest request(long id, KeyType type, Map<String, byte[]> keys) {
        KeyRequest.Builder r = KeyRequest.newBuilder().setId(id).setKeyringAddr(KEYRING).setKeyType(type)
                .setPartyThreshold(2).setDeadlineUnixMs(System.currentTimeMillis() + 60_000);
        keys.keySet().stream().sorted(Comparator.naturalOrder()).forEach(a -> r.addParties(
                KeyringParty.newBuilder().setAddress(a).setPublicKey(ByteString.copyFrom(keys.get(a)))));
        ledger.register(r.build());
        return KeygenRequest.newBuilder().setChainId(CHAIN_ID).setRequest(r).build();
    }

    // ------------------------------------------------------------------------------ processes

    private static List<String> partyTool(String command, Party p) {
        return ProcessSupport.partyTool(APP, p.dir, command);
    }

    private static String peers() {
        StringBuilder sb = new StringBuilder();
        for (Party p : PARTIES) {
            sb.append(sb.length() == 0 ? "" : ",").append(p.address).append("@127.0.0.1:").append(p.port);
        }
        return sb.toString();
    }

    private static void start(Party p) throws IOException {
        List<String> cmd = java();
        // Plain text (the explicit development flag): this test is about processes, tokens and restarts; TLS
        // between real processes is e2e's AuthorisationIT.
        cmd.addAll(List.of(ProcessSupport.PLAINTEXT, "-Dquarkus.http.port=" + p.port, "-Dquarkus.management.port=" + p.managementPort,
                "-Dkeyfed.party.admin.token-file=" + p.dir.resolve("admin.token"),
                "-Dkeyfed.party.hsm.config-file=" + p.dir.resolve("sunpkcs11.cfg"),
                "-Dkeyfed.party.hsm.pin-file=" + p.dir.resolve("user.pin"),
                "-Dkeyfed.party.data-dir=" + p.dataDir(), "-Dkeyfed.party.peers=" + peers(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        cmd.addAll(ProcessSupport.ledgerOptions(ledger));
        cmd.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(p.tokenEnv());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("party" + p.index + ".log").toFile()));
        p.process = pb.start();
    }

    private static void stop(Party p) throws InterruptedException {
        if (p.process == null) {
            return;
        }
        p.process.destroy();
        if (!p.process.waitFor(60, TimeUnit.SECONDS)) {
            p.process.destroyForcibly();
            p.process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("party " + p.index + " did not stop on SIGTERM");
        }
    }

    private static void awaitReady(Party p) throws Exception {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.process.isAlive()) {
                throw new AssertionError("party " + p.index + " exited with " + p.process.exitValue() + "; see "
                        + run.resolve("party" + p.index + ".log"));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + p.managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("party " + p.index + " did not become ready; see "
                + run.resolve("party" + p.index + ".log"));
    }
}
