package io.keyfed.ledger.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.keyfed.platform.testing.EmbeddedTestPostgres;

/**
 * Two packaged ledgers (java -jar) on one PostgreSQL. Requests are created through both, alternately;
 * the watch stream, read through one, then resumed from its last cursor through the other, delivers
 * every request exactly once and in commit order.
 */
class TwoLedgersWatchIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final TestAccount OWNER = TestKeys.account(1);
    private static final TestAccount PARTY = TestKeys.account(101);
    private static final Pattern HEIGHT = Pattern.compile("\"(created_address|key_request_id)\":\"?([^\",}]+)");

    private static EmbeddedTestPostgres pg;
    private static final List<Process> LEDGERS = new ArrayList<>();
    private static int portA;
    private static int portB;
    private static long sequence;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        pg = EmbeddedTestPostgres.start("pg-it");
        Path genesis = Files.createTempFile(tmp, "genesis-it", ".json");
        Files.writeString(genesis, PostgresTestResource.genesisJson());
        portA = freePort();
        portB = freePort();
        // both at once on the empty database: migration and genesis must happen exactly once
        LEDGERS.add(launch("a", portA, genesis));
        LEDGERS.add(launch("b", portB, genesis));
        awaitReady(portA);
        awaitReady(portB);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : LEDGERS) {
            p.destroy();
        }
        for (Process p : LEDGERS) {
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process launch(String name, int port, Path genesis) throws IOException {
        String jar = System.getProperty("ledger.jar", "target/quarkus-app/quarkus-run.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Path.of("target", "it-ledger-" + name + ".log");
        ProcessBuilder b = new ProcessBuilder(java,
                "-Dquarkus.http.insecure-requests=enabled", // plain text: development flag (TLS is e2e's)
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + pg.jdbcUrl(EmbeddedTestPostgres.DEFAULT_DATABASE),
                "-Dquarkus.datasource.reactive.url=" + pg.reactiveUrl(EmbeddedTestPostgres.DEFAULT_DATABASE),
                "-Dkeyfed.ledger.genesis-file=" + genesis,
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar", jar)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // The database password through the environment, as an operator would, never on the command line.
        b.environment().put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
        return b.start();
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("ledger on port " + port + " did not start; see target/it-ledger-*.log");
    }

    /** Submits a tx from OWNER through the ledger on {@code port}; returns the named result field. */
    private String submit(int port, java.util.function.Consumer<TxBody.Builder> msg, String field) throws Exception {
        TxBody.Builder b = Txs.body(OWNER, sequence);
        msg.accept(b);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/txs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Txs.json(Txs.sign(OWNER, b.build())))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        sequence++;
        Matcher m = HEIGHT.matcher(r.body());
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no " + field + " in " + r.body());
    }

    /** A watch through one ledger, collecting events until closed. */
    private static final class Watch implements AutoCloseable {
        final List<KeyRequestEvent> events = new CopyOnWriteArrayList<>();
        final ManagedChannel channel;

        Watch(int port, String keyring, long cursor) {
            channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
            LedgerGrpc.newStub(channel).watchKeyRequests(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring)
                    .setCursor(cursor).build(), new StreamObserver<>() {
                        @Override
                        public void onNext(KeyRequestEvent e) {
                            events.add(e);
                        }

                        @Override
                        public void onError(Throwable t) {
                            // closed by the test
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
        }

        void awaitCount(int n) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT.toMillis();
            while (events.size() < n && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(events.size() >= n, "expected " + n + " events, got " + events.size());
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow();
            channel.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private String get(int port, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void shouldKeepEmbeddedDatabaseAcrossRestarts() throws Exception {
        Path dataDir = Path.of(System.getProperty("java.io.tmpdir")).resolve("embedded-it-" + System.nanoTime())
                .resolve("pgdata");
        Path genesis = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "genesis-emb", ".json");
        Files.writeString(genesis, PostgresTestResource.genesisJson());
        String jar = System.getProperty("ledger.jar", "target/quarkus-app/quarkus-run.jar");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = freePort();
        List<String> cmd = List.of(javaBin, "-Dquarkus.http.insecure-requests=enabled", "-Dquarkus.http.port=" + port, "-Dkeyfed.ledger.genesis-file=" + genesis,
                "-Dkeyfed.ledger.data-dir=" + dataDir, "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar", jar);
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "it-embedded-1.log").toFile()).start();
        long savedSequence = sequence;
        try {
            awaitReady(port);
            sequence = 0;
            submit(port, b -> b.setNewWorkspace(Txs.newWorkspace()), "created_address");
        } finally {
            first.destroy();
            assertTrue(first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "ledger did not stop");
        }
        Process second = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "it-embedded-2.log").toFile()).start();
        try {
            awaitReady(port);
            assertTrue(get(port, "/v1/status").contains("\"height\":1,"), get(port, "/v1/status"));
            assertTrue(get(port, "/v1/auth/accounts/" + OWNER.address()).contains("\"sequence\":1,"));
        } finally {
            second.destroy();
            assertTrue(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "ledger did not stop");
            sequence = savedSequence;
        }
    }

    @Test
    void shouldExpireEachRequestOnceWithTwoSweepingReplicas() throws Exception {
        String ws = submit(portA, b -> b.setNewWorkspace(Txs.newWorkspace()), "created_address");
        String kr = submit(portB, b -> b.setNewKeyring(Txs.newKeyring(1, "10", PARTY)), "created_address");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Long.parseLong(submit(i % 2 == 0 ? portA : portB,
                    b -> b.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 1)), "key_request_id")));
        }
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        for (long id : ids) {
            while (!get(portA, "/v1/treasury/key-requests/" + id).contains("KEY_REQUEST_STATUS_REJECTED")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(get(portB, "/v1/treasury/key-requests/" + id).contains("deadline exceeded"), "request " + id);
        }
        Thread.sleep(6000); // two more sweep periods: a second expiry would be logged now
        String log = get(portB, "/v1/txs?page_size=100");
        for (long id : ids) {
            int count = log.split(java.util.regex.Pattern.quote("\"outcome\":\"key request " + id
                    + " rejected: deadline exceeded"), -1).length - 1;
            assertEquals(1, count, "timeout entries for request " + id);
        }
        String supply = get(portA, "/v1/bank/supply");
        Matcher total = Pattern.compile("\"total_balances\":\"(\\d+)\"").matcher(supply);
        Matcher genesis = Pattern.compile("\"genesis_supply\":\"(\\d+)\"").matcher(supply);
        assertTrue(total.find() && genesis.find(), supply);
        assertEquals(genesis.group(1), total.group(1));
    }

    @Test
    void shouldDeliverEveryRequestExactlyOnceInOrderAcrossResume() throws Exception {
        String ws = submit(portA, b -> b.setNewWorkspace(Txs.newWorkspace()), "created_address");
        String kr = submit(portB, b -> b.setNewKeyring(Txs.newKeyring(1, "1", PARTY)), "created_address");
        List<Long> created = new ArrayList<>();
        List<KeyRequestEvent> delivered = new ArrayList<>();
        long lastCursor;

        try (Watch first = new Watch(portA, kr, 0)) {
            for (int i = 0; i < 10; i++) {
                int port = i % 2 == 0 ? portA : portB;
                created.add(Long.parseLong(submit(port, b -> b.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0)),
                        "key_request_id")));
            }
            first.awaitCount(10);
            Thread.sleep(500); // a duplicate would arrive now
            delivered.addAll(first.events);
        }
        lastCursor = delivered.get(delivered.size() - 1).getCursor();

        for (int i = 0; i < 6; i++) { // while nobody watches
            int port = i % 2 == 0 ? portB : portA;
            created.add(Long.parseLong(submit(port, b -> b.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0)),
                    "key_request_id")));
        }
        try (Watch resumed = new Watch(portB, kr, lastCursor)) {
            for (int i = 0; i < 4; i++) {
                int port = i % 2 == 0 ? portA : portB;
                created.add(Long.parseLong(submit(port, b -> b.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0)),
                        "key_request_id")));
            }
            resumed.awaitCount(10);
            Thread.sleep(500);
            delivered.addAll(resumed.events);
        }

        assertEquals(created, delivered.stream().map(e -> e.getRequest().getId()).toList(),
                "every request exactly once, in order");
        for (int i = 1; i < delivered.size(); i++) {
            assertTrue(delivered.get(i - 1).getCursor() < delivered.get(i).getCursor(), "cursors increase");
        }
    }
}
