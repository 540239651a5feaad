package io.keyfed.party.it;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Process and file helpers shared by the process-level integration tests in this package. */
final class ProcessSupport {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ProcessSupport() {
    }

    /** Exit code, standard output, and standard output followed by standard error (for messages). */
    static final class Result {
        final int exit;
        final String stdout;
        final String output;

        Result(int exit, String stdout, String output) {
            this.exit = exit;
            this.stdout = stdout;
            this.output = output;
        }
    }

    static Result exec(List<String> cmd, Map<String, String> env, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectError(log.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd.get(cmd.size() - 1) + " did not finish");
        }
        return new Result(p.exitValue(), out, out + Files.readString(log));
    }

    static void writePin(Path file) throws IOException {
        byte[] raw = new byte[18];
        new SecureRandom().nextBytes(raw);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n");
    }

    /** A random admin bearer token in a new 0600 file ({@code keyfed.party.admin.token-file}); returns the token. */
    static String writeAdminToken(Path file) throws IOException {
        writePin(file);
        return Files.readString(file).strip();
    }

    /** The JVM command of a party process or tool: this test's java, with the launcher's quick-start options. */
    static List<String> java() {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    }

    /** party-tool COMMAND from the packaged party {@code app} on the token of {@code dir} (sunpkcs11.cfg, user.pin). */
    static List<String> partyTool(Path app, Path dir, String command) {
        List<String> cmd = java();
        cmd.addAll(List.of("-cp", app + "/app/*:" + app + "/lib/main/*:" + app + "/lib/boot/*",
                "io.keyfed.party.tools.PartyTool", command, "--config", dir.resolve("sunpkcs11.cfg").toString(),
                "--pin-file", dir.resolve("user.pin").toString()));
        return cmd;
    }

    /** An HTTP call with no body to 127.0.0.1:port, with an Authorization header unless {@code null}. */
    static HttpResponse<String> http(String method, int port, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(300));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The explicit development flag that runs a party in plain text (it logs a WARN at start). */
    static final String PLAINTEXT = "-Dquarkus.http.insecure-requests=enabled";

    /** The party's JVM options that point its ledger client at {@code ledger} (the in-JVM test ledger). */
    static List<String> ledgerOptions(io.keyfed.party.ledger.TestLedger ledger) {
        return List.of("-Dquarkus.grpc.clients.ledger.host=127.0.0.1",
                "-Dquarkus.grpc.clients.ledger.port=" + ledger.port());
    }
}
