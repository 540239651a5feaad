package io.keyfed.nativecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Secp256k1;

/**
 * Runs tools/grpc-node/keyfed-grpc.js, a generic Node.js gRPC client that knows the services only through
 * server reflection, against the packaged ledger: the session shown in tools/grpc-node/README.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcNodeClientTest {
    private Path tool;
    private Path work;
    private Process ledger;
    private int port;

    @BeforeAll
    void startLedger() throws Exception {
        tool = Repo.root().resolve("tools/grpc-node");
        assumeTrue(commandWorks("node", "--version"), "node is not installed: Node.js client session skipped");
        assumeTrue(commandWorks("npm", "--version"), "npm is not installed: Node.js client session skipped");
        installDependencies();

        Path jar = Repo.artifactsRoot().resolve("ledger/target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package the ledger first (./mvnw -B package)");

        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "grpc-node-ledger");
        String account = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(12345)));
        Path genesis = work.resolve("genesis.json");
        Files.writeString(genesis, "{\"chain_id\":\"grpc-node-check\",\"accounts\":[{\"address\":\"" + account
                + "\",\"amount\":\"1000\"}],\"params\":{\"default_timeout_seconds\":60}}");
        port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + work,
                "-Dquarkus.http.insecure-requests=enabled", // plain text: the development flag
                "-Dquarkus.http.port=" + port,
                "-Dkeyfed.ledger.data-dir=" + work.resolve("pgdata"),
                "-Dkeyfed.ledger.genesis-file=" + genesis,
                "-jar", jar.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(work.resolve("ledger.log").toFile());
        ledger = pb.start();
        waitReady();
    }

    @AfterAll
    void stopLedger() throws Exception {
        if (ledger != null) {
            ledger.destroy(); // SIGTERM: the ledger stops, then its embedded PostgreSQL
            if (!ledger.waitFor(30, TimeUnit.SECONDS)) {
                ledger.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void listsTheLedgerServiceThroughReflection() throws Exception {
        Result r = node("services");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.lines().anyMatch(l -> l.equals("keyfed.ledger.v1.Ledger")), r.output);
        assertTrue(r.output.contains("  GetKey") && r.output.contains("  WatchKeyRequests"), r.output);
    }

    @Test
    void getKeyOfAnUnknownIdIsNotFound() throws Exception {
        Result r = node("get-key", "1");
        assertEquals(4, r.code, r.output);
        assertTrue(r.output.contains("GetKey(1): NOT_FOUND"), r.output);
        assertFalse(r.output.contains("    at "), "stack trace in a clean NOT_FOUND:\n" + r.output);
    }

    @Test
    void watchingAKeyringEndsAtTheTimeoutWithoutError() throws Exception {
        String keyring = Bech32.encode(Addresses.KEYRING_PREFIX, new byte[20]);
        Result r = node("watch", keyring, "--events", "5", "--timeout", "3");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("watch ended: timed out after 3s; 0 event(s)"), r.output);
        assertFalse(r.output.contains("watch failed"), r.output);
    }

    @Test
    void aMalformedKeyringIsRefusedCleanly() throws Exception {
        Result r = node("watch", "keyring1bad", "--timeout", "3");
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("watch failed: INVALID_ARGUMENT"), r.output);
    }

    @Test
    void refusalMessagesReadAsPlainText() throws Exception {
        // grpc-js decodes a status message the way the gRPC spec encodes it; a server that escapes more (',' ':'
        // ';' and spaces, as URL encoding does) shows up here as "%3A" or "%3B".
        Result bad = node("watch", "keyring1bad", "--timeout", "3");
        assertTrue(bad.output.contains("watch failed: INVALID_ARGUMENT: keyring_addr 'keyring1bad' is not valid bech32: "),
                bad.output);
        String keyring = Bech32.encode(Addresses.KEYRING_PREFIX, new byte[20]);
        Result past = node("watch", keyring, "--cursor", "99", "--timeout", "3");
        assertEquals(1, past.code, past.output);
        assertTrue(past.output.contains("watch failed: OUT_OF_RANGE: cursor 99 is past the latest event cursor 0;"
                + " resume from a cursor this ledger sent"), past.output);
        assertFalse(bad.output.contains("%") || past.output.contains("%"), bad.output + past.output);
    }

    record Result(int code, String output) {
    }

    private Result node(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "keyfed-grpc.js", "--target", "localhost:" + port));
        cmd.addAll(List.of(args));
        Result r = run(tool, 60, cmd);
        System.out.println("$ " + String.join(" ", cmd) + "\n" + r.output + "[exit " + r.code + "]");
        return r;
    }

    /**
     * Installs the committed lockfile's packages with npm ci, unless node_modules already holds exactly
     * them (npm ls succeeds), so a machine without registry access can rerun the test.
     */
    private void installDependencies() throws Exception {
        boolean installed = Files.isDirectory(tool.resolve("node_modules/grpc-js-reflection-client"))
                && run(tool, 120, List.of("npm", "ls", "--omit=dev")).code == 0;
        if (!installed) {
            Result ci = run(tool, 300, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"));
            assumeTrue(ci.code == 0, "npm ci failed (no registry access?): Node.js client session skipped\n" + ci.output);
        }
        assertFalse(Repo.read(tool.resolve("package-lock.json")).contains("http"),
                "npm ci wrote an address into package-lock.json");
    }

    private void waitReady() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            assertTrue(ledger.isAlive(), "the ledger exited:\n" + Repo.read(work.resolve("ledger.log")));
            try {
                HttpURLConnection c = (HttpURLConnection) new URL("http", "localhost", port, "/q/health/ready").openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the ledger was not ready in 120 s:\n" + Repo.read(work.resolve("ledger.log")));
    }

    private static Result run(Path dir, int seconds, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + seconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean commandWorks(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
