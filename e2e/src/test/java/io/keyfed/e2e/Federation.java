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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole KeyFed deployment on this machine, each service its own process talking real gRPC: the ledger
 * (embedded PostgreSQL in its data directory), N parties with their own SoftHSM2 tokens and data
 * directories, and one connector per party. Uses the packaged applications the build produced.
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
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A party: its token directory, identity and process. */
    static final class Party {
        final int index;
        final Path dir;
        final int port;
        String address;
        String publicKeyHex;
        ManagedProcess process;

        Party(int index, Path dir, int port) {
            this.index = index;
            this.dir = dir;
            this.port = port;
        }

        String registration() {
            return address + ":" + publicKeyHex;
        }
    }

    Federation(String name) throws IOException {
        this.root = Path.of(System.getProperty("keyfed.root", "..")).toAbsolutePath().normalize();
        this.run = root.resolve("e2e/target/runs/" + name + "-" + System.currentTimeMillis());
        Files.createDirectories(run.resolve("logs"));
        this.ledgerPort = freePort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String ledgerUrl() {
        return "http://127.0.0.1:" + ledgerPort;
    }

    /** JVM options added to every service process this federation starts (e.g. an OTLP exporter's endpoint). */
    final List<String> extraJvmArgs = new ArrayList<>();

    private List<String> java() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(extraJvmArgs);
        return cmd;
    }

    // ---------------------------------------------------------------------------------- ledger

    void startLedger(Path genesis) throws Exception {
        List<String> cmd = java();
        cmd.addAll(List.of("-Dquarkus.http.port=" + ledgerPort, "-Dkeyfed.ledger.genesis-file=" + genesis,
                "-Dkeyfed.ledger.data-dir=" + run.resolve("ledger"), "-Dkeyfed.ledger.timeout-sweep-interval=1s",
                "-jar", root.resolve("ledger/target/quarkus-app/quarkus-run.jar").toString()));
        ledger = new ManagedProcess("ledger", cmd, Map.of(), run.resolve("logs/ledger.log"));
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
        Path f = ledgerDataDir().resolve("postmaster.pid");
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
            return http.send(HttpRequest.newBuilder(URI.create(ledgerUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------- parties

    /** Creates N tokens (each in its own SoftHSM2 directory) and reads each party's identity. */
    void initParties(int n) throws Exception {
        for (int i = 1; i <= n; i++) {
            Party p = new Party(i, run.resolve("party" + i), freePort());
            Files.createDirectories(p.dir);
            writePin(p.dir.resolve("so.pin"));
            writePin(p.dir.resolve("user.pin"));
            Map<String, String> env = new HashMap<>(tokenEnv(p));
            env.put("KEYFED_HSM_LABEL", "keyfed-e2e-" + i);
            env.put("KEYFED_HSM_SO_PIN_FILE", p.dir.resolve("so.pin").toString());
            env.put("KEYFED_HSM_USER_PIN_FILE", p.dir.resolve("user.pin").toString());
            env.put("KEYFED_HSM_SUNPKCS11_CFG", p.dir.resolve("sunpkcs11.cfg").toString());
            exec(List.of("bash", root.resolve("hsm-config/init-token.sh").toString()), env,
                    p.dir.resolve("init-token.log"));
            List<String> tool = java();
            Path app = root.resolve("party/service/target/quarkus-app");
            tool.addAll(List.of("-cp", app + "/app/*:" + app + "/lib/main/*:" + app + "/lib/boot/*",
                    "io.keyfed.party.tools.PartyTool", "identity", "--config", p.dir.resolve("sunpkcs11.cfg").toString(),
                    "--pin-file", p.dir.resolve("user.pin").toString()));
            String id = exec(tool, tokenEnv(p), p.dir.resolve("identity.log")).trim();
            int colon = id.lastIndexOf(':');
            p.address = id.substring(0, colon);
            p.publicKeyHex = id.substring(colon + 1);
            parties.add(p);
        }
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
            List<String> cmd = java();
            cmd.addAll(List.of("-Dquarkus.http.port=" + p.port,
                    "-Dkeyfed.party.hsm.config-file=" + p.dir.resolve("sunpkcs11.cfg"),
                    "-Dkeyfed.party.hsm.pin-file=" + p.dir.resolve("user.pin"),
                    "-Dkeyfed.party.data-dir=" + p.dir.resolve("data"), "-Dkeyfed.party.peers=" + peers(),
                    "-jar", root.resolve("party/service/target/quarkus-app/quarkus-run.jar").toString()));
            p.process = new ManagedProcess("party" + p.index, cmd, tokenEnv(p), run.resolve("logs/party" + p.index + ".log"));
            all.add(p.process);
            p.process.start();
        }
        for (Party p : parties) {
            awaitReady(p.process, "http://127.0.0.1:" + p.port);
        }
    }

    void restartParty(Party p) throws Exception {
        p.process.start();
        awaitReady(p.process, "http://127.0.0.1:" + p.port);
    }

    private static Map<String, String> tokenEnv(Party p) {
        return Map.of("SOFTHSM2_CONF", p.dir.resolve("softhsm2.conf").toString());
    }

    private static void writePin(Path file) throws IOException {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n");
    }

    // ---------------------------------------------------------------------------------- connectors

    void startConnectors(String keyring) throws Exception {
        for (Party p : parties) {
            int port = freePort();
            List<String> cmd = java();
            cmd.addAll(List.of("-Dquarkus.http.port=" + port, "-Dkeyfed.connector.keyring-addr=" + keyring,
                    "-Dquarkus.grpc.clients.ledger.host=127.0.0.1", "-Dquarkus.grpc.clients.ledger.port=" + ledgerPort,
                    "-Dquarkus.grpc.clients.party.host=127.0.0.1", "-Dquarkus.grpc.clients.party.port=" + p.port,
                    "-Dkeyfed.connector.retry.max-backoff=1s", "-Dkeyfed.connector.watch.reconnect-max-backoff=1s",
                    "-jar", root.resolve("connector/target/quarkus-app/quarkus-run.jar").toString()));
            ManagedProcess c = new ManagedProcess("connector" + p.index, cmd, Map.of(),
                    run.resolve("logs/connector" + p.index + ".log"));
            c.port = port;
            connectors.add(c);
            all.add(c);
            c.start();
        }
        for (ManagedProcess c : connectors) {
            awaitReady(c, "http://127.0.0.1:" + c.port);
        }
    }

    void restartConnector(ManagedProcess c) throws Exception {
        c.start();
        awaitReady(c, "http://127.0.0.1:" + c.port);
    }

    // ---------------------------------------------------------------------------------- helpers

    private void awaitReady(ManagedProcess p, String base) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException(p.name() + " exited during start-up:\n" + p.tail(40));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
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
            throw new IllegalStateException(cmd.get(cmd.size() > 3 ? 3 : 0) + " failed: " + Files.readString(log));
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
        // A PostgreSQL the ledger started and left behind (ledger killed): ours, so stop it by its pid.
        java.util.OptionalLong pg = postmasterPid();
        if (pg.isPresent() && isPostgres(pg.getAsLong())) {
            killPid(pg.getAsLong());
        }
    }
}
