package io.keyfed.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import java.security.SecureRandom;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.certs.CertDir;
import io.keyfed.cli.certs.CertIssuer;
import io.keyfed.cli.keys.SigningKey;
import io.keyfed.cli.tls.TlsFileException;
import io.keyfed.cli.tls.TlsFiles;
import io.keyfed.platform.testing.PrometheusText;

/**
 * A whole KeyFed deployment on this machine, each service its own process talking real gRPC: the ledger
 * (embedded PostgreSQL in its data directory), N parties with their own SoftHSM2 tokens and data
 * directories, and one connector per party. Uses the packaged applications the build produced.
 *
 * <p>How each process is launched (command line, token, data directory) is defined once, in
 * {@code scripts/federation.sh}, which {@code ./keyfed up}, the demo and the bench use too: every service
 * here is {@code bash scripts/federation.sh exec ledger|party|connector ...}, which execs the JVM, so each
 * {@link ManagedProcess} is the service's own process (SIGTERM/SIGKILL reach the JVM). This class chooses
 * free ports, keeps the processes, and stops or kills one for the fault tests.
 */
final class Federation implements AutoCloseable {
    static final String CHAIN_ID = "keyfed-e2e";

    final Path root;
    final Path run;
    final int ledgerPort;
    final List<Party> parties = new ArrayList<>();
    final List<ManagedProcess> connectors = new ArrayList<>();
    private ManagedProcess ledger;
    private final List<ManagedProcess> all = new ArrayList<>();
    private HttpClient http;

    /**
     * A party: its token directory, identity and process; {@code port} serves gRPC, {@code managementPort}
     * (loopback) health, metrics and the admin endpoints, whose bearer token is in {@code dir/admin.token}.
     */
    static final class Party {
        final int index;
        final Path dir;
        final int port;
        final int managementPort;
        String address;
        String publicKeyHex;
        ManagedProcess process;

        Party(int index, Path dir, int port, int managementPort) {
            this.index = index;
            this.dir = dir;
            this.port = port;
            this.managementPort = managementPort;
        }

        String registration() {
            return address + ":" + publicKeyHex;
        }

        /** Base URL of the management interface: /q/health, /q/metrics, /admin/... */
        String managementUrl() {
            return "https://127.0.0.1:" + managementPort;
        }

        /** The admin bearer token {@code federation.sh init-token} wrote for this party. */
        String adminToken() throws IOException {
            return Files.readString(dir.resolve("admin.token")).strip();
        }
    }

    Federation(String name) throws IOException {
        this.root = Path.of(System.getProperty("keyfed.root", "..")).toAbsolutePath().normalize();
        this.run = root.resolve("e2e/target/runs/" + name + "-" + System.currentTimeMillis());
        Files.createDirectories(run.resolve("logs"));
        this.ledgerPort = freePort();
    }

    /**
     * Writes this run's genesis.json: chain {@link #CHAIN_ID}, each key's "zen" account funded as given (the
     * ledger does not depend on their order), default request timeout 120 s. Returns its path, for {@link #startLedger}.
     */
    Path writeGenesis(Map<SigningKey, Long> balances) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode genesis = json.createObjectNode().put("chain_id", CHAIN_ID);
        ArrayNode accounts = genesis.putArray("accounts");
        balances.forEach((key, amount) -> accounts.addObject().put("address", key.address("zen"))
                .put("amount", Long.toString(amount)));
        genesis.putObject("params").put("default_timeout_seconds", 120);
        Path file = run.resolve("genesis.json");
        Files.writeString(file, json.writeValueAsString(genesis));
        return file;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String ledgerUrl() {
        return "https://127.0.0.1:" + ledgerPort;
    }

    /** The run's CA certificate (made when the ledger starts: {@code federation.sh}'s kf_tls_ledger). */
    Path caFile() {
        return run.resolve("tls/ca.crt");
    }

    /** A service's key and certificate files in the run's TLS directory, e.g. {@code "party-" + address}. */
    Path tlsFile(String name) {
        return run.resolve("tls/" + name);
    }

    /**
     * A certificate and key from the run's own CA, naming {@code uri} in its SAN, as {@code RUN/tls/FILE.crt} and
     * {@code .key}: what whoever holds the CA can make. The parties do not pin it.
     */
    void issueCertificate(String file, String uri) throws Exception {
        CertDir dir = new CertDir(run.resolve("tls"), new CertIssuer(new SecureRandom()), Clock.systemUTC());
        dir.ensureCa();
        dir.ensureLeaf(new CertDir.Leaf(file, uri), List.of(), Duration.ofDays(1), false);
    }

    /**
     * {@code METHOD path} on the party's management interface (e.g. {@code /admin/keys/ID/verify}), with
     * {@code Authorization: Bearer token} unless {@code token} is null.
     */
    HttpResponse<String> admin(Party p, String method, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.managementUrl() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a party's samples of metric {@code name} with the given labels, scraped from its management port. */
    double partyMetric(Party p, String name, String... labels) throws Exception {
        HttpResponse<String> r = http().send(HttpRequest.newBuilder(URI.create(p.managementUrl() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("party " + p.index + " /q/metrics: HTTP " + r.statusCode());
        }
        return PrometheusText.sum(r.body(), name, labels);
    }

    /** An HTTPS client that trusts the run's CA and presents no certificate (as a scraper or a user does). */
    synchronized HttpClient http() {
        if (http == null) {
            try {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .sslContext(new TlsFiles(caFile(), null, null).sslContext()).build();
            } catch (TlsFileException e) {
                throw new IllegalStateException("the run's CA does not load: " + e.getMessage(), e);
            }
        }
        return http;
    }

    /** JVM options added to every service process this federation starts (e.g. an OTLP exporter's endpoint). */
    final List<String> extraJvmArgs = new ArrayList<>();

    /**
     * {@code bash scripts/federation.sh exec WHAT ARGS... JVM_OPTS...}: the service's command line as the
     * script defines it, with this test's JVM options ({@code extraJvmArgs} last).
     */
    private List<String> service(String what, List<String> args, String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), "exec", what));
        cmd.addAll(args);
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(extraJvmArgs);
        return cmd;
    }

    private Path script() {
        return root.resolve("scripts/federation.sh");
    }

    /** The script runs this test's JVM, not whichever java is first on the PATH. */
    private static Map<String, String> scriptEnv() {
        return Map.of("KEYFED_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    // ---------------------------------------------------------------------------------- ledger

    /** Starts the ledger on {@code genesis} (copied to the run directory's genesis.json, where the script reads it). */
    void startLedger(Path genesis) throws Exception {
        Path expected = run.resolve("genesis.json");
        if (!genesis.toAbsolutePath().normalize().equals(expected)) {
            Files.copy(genesis, expected, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = service("ledger", List.of(run.toString(), Integer.toString(ledgerPort)),
                "-Dkeyfed.ledger.timeout-sweep-interval=1s");
        ledger = new ManagedProcess("ledger", cmd, scriptEnv(), run.resolve("logs/ledger.log"));
        all.add(ledger);
        ledger.start();
        awaitReady(ledger, ledgerUrl());
    }

    ManagedProcess ledger() {
        return ledger;
    }

    /** Starts the ledger process again (same port, genesis and data directory) and waits until it is ready. */
    void restartLedger() throws Exception {
        ledger.start();
        awaitReady(ledger, ledgerUrl());
    }

    /** The embedded PostgreSQL data directory of the ledger. */
    Path ledgerDataDir() {
        return run.resolve("ledger");
    }

    /** The pid in the ledger's {@code postmaster.pid} (first line), if the file exists. */
    java.util.OptionalLong postmasterPid() throws IOException {
        return postmasterPid(ledgerDataDir());
    }

    /** The pid in {@code postmaster.pid} (first line) of a PostgreSQL data directory, if the file exists. */
    static java.util.OptionalLong postmasterPid(Path dataDir) throws IOException {
        Path f = dataDir.resolve("postmaster.pid");
        if (!Files.exists(f)) {
            return java.util.OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(f);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    }

    /** True if the pid is a live process whose command is PostgreSQL's (guards against pid reuse). */
    static boolean isPostgres(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command()).map(c -> c.contains("postgres")).orElse(false);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** SIGKILL to one process this federation started (directly or through the ledger); waits for it to go. */
    static void killPid(long pid) throws InterruptedException {
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().destroyForcibly();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (h.get().isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
    }

    /** SIGTERM to one process this federation started (PostgreSQL: smart shutdown); SIGKILL after 30 s. */
    static void stopPid(long pid) throws InterruptedException {
        java.util.Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().destroy();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (h.get().isAlive() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            if (h.get().isAlive()) {
                killPid(pid);
            }
        }
    }

    /** HTTP status of the ledger's readiness probe, or -1 if it does not answer. */
    int ledgerReadiness() {
        try {
            return http().send(HttpRequest.newBuilder(URI.create(ledgerUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------- parties

    /**
     * Creates N tokens, each in its own SoftHSM2 directory with its own PINs
     * ({@code federation.sh init-token}), and reads each party's identity.
     */
    void initParties(int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            Party p = new Party(i, run.resolve("party" + i), freePort(), freePort());
            String id = exec(List.of("bash", script().toString(), "init-token", run.toString(), Integer.toString(i)),
                    scriptEnv(), run.resolve("logs/init-token" + i + ".log")).trim();
            int colon = id.lastIndexOf(':');
            p.address = id.substring(0, colon);
            p.publicKeyHex = id.substring(colon + 1);
            parties.add(p);
        }
        // Every party's and connector's certificate, and each one's TLS settings (a party trusts exactly its peers).
        exec(List.of("bash", script().toString(), "tls-init", run.toString(), Integer.toString(n)), scriptEnv(),
                run.resolve("logs/tls-init.log"));
    }

    String peers() {
        StringBuilder sb = new StringBuilder();
        for (Party p : parties) {
            sb.append(sb.length() == 0 ? "" : ",").append(p.address).append("@127.0.0.1:").append(p.port);
        }
        return sb.toString();
    }

    void startParties() throws Exception {
        for (Party p : parties) {
            p.process = partyProcess(p);
            all.add(p.process);
            p.process.start();
        }
        for (Party p : parties) {
            awaitReady(p.process, p.managementUrl());
        }
    }

    private ManagedProcess partyProcess(Party p, String... jvmOptions) {
        List<String> cmd = service("party", List.of(run.toString(), Integer.toString(p.index),
                Integer.toString(p.port), peers(), Integer.toString(p.managementPort), Integer.toString(ledgerPort)),
                jvmOptions);
        return new ManagedProcess("party" + p.index, cmd, scriptEnv(), run.resolve("logs/party" + p.index + ".log"));
    }

    void restartParty(Party p) throws Exception {
        p.process.start();
        awaitReady(p.process, p.managementUrl());
    }

    /**
     * Starts the stopped party's process again with {@code jvmOptions} added to its command line (e.g. a
     * {@code -javaagent:}); with none, as {@link #startParties} started it. Same ports, token, data and log file.
     */
    void restartPartyWith(Party p, String... jvmOptions) throws Exception {
        if (p.process.isAlive()) {
            throw new IllegalStateException("party " + p.index + " is running");
        }
        ManagedProcess next = partyProcess(p, jvmOptions);
        all.set(all.indexOf(p.process), next);
        p.process = next;
        restartParty(p);
    }

    // ---------------------------------------------------------------------------------- connectors

    void startConnectors(String keyring) throws Exception {
        startConnectors(keyring, true);
    }

    /**
     * Starts one connector per party; {@code signRequests} false runs them with
     * {@code keyfed.connector.sign-requests.enabled=false} (the key watch only).
     */
    void startConnectors(String keyring, boolean signRequests) throws Exception {
        for (Party p : parties) {
            int port = freePort();
            List<String> cmd = service("connector", List.of(run.toString(), Integer.toString(p.index),
                    Integer.toString(port), keyring, Integer.toString(ledgerPort), Integer.toString(p.port)),
                    "-Dkeyfed.connector.retry.max-backoff=1s", "-Dkeyfed.connector.watch.reconnect-max-backoff=1s",
                    "-Dkeyfed.connector.sign-requests.enabled=" + signRequests);
            ManagedProcess c = new ManagedProcess("connector" + p.index, cmd, scriptEnv(),
                    run.resolve("logs/connector" + p.index + ".log"));
            c.port = port;
            connectors.add(c);
            all.add(c);
            c.start();
        }
        for (ManagedProcess c : connectors) {
            awaitReady(c, "https://127.0.0.1:" + c.port);
        }
    }

    void restartConnector(ManagedProcess c) throws Exception {
        c.start();
        awaitReady(c, "https://127.0.0.1:" + c.port);
    }

    // ---------------------------------------------------------------------------------- helpers

    private void awaitReady(ManagedProcess p, String base) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.name() + " exited during start-up:\n" + p.tail(40));
            }
            try {
                HttpResponse<Void> r = http().send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(p.name() + " did not become ready:\n" + p.tail(40));
    }

    /** Runs a command to completion; returns its standard output, fails with its log otherwise. */
    private String exec(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectError(log.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
        }
        return out;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws Exception {
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).stop();
        }
        // A PostgreSQL a service started and left behind (its JVM killed): ours, so stop it by its pid.
        List<Path> dataDirs = new ArrayList<>(List.of(ledgerDataDir()));
        for (Party p : parties) {
            dataDirs.add(p.dir.resolve("data/pgdata"));
        }
        for (Path dir : dataDirs) {
            java.util.OptionalLong pg = postmasterPid(dir);
            if (pg.isPresent() && isPostgres(pg.getAsLong())) {
                killPid(pg.getAsLong());
            }
        }
        // zonky's unpacked binaries (~100 MB a server) are rebuilt on the next start; the data and logs stay
        // for a failure's post-mortem.
        for (Path dir : dataDirs) {
            deleteTree(dir.resolveSibling(dir.getFileName() + "-work"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
