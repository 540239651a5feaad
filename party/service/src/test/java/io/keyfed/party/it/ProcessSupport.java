package io.keyfed.party.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Process and file helpers shared by the process-level integration tests in this package. */
final class ProcessSupport {

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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The party's JVM options that point its ledger client at {@code ledger} (the in-JVM test ledger). */
    static List<String> ledgerOptions(io.keyfed.party.ledger.TestLedger ledger) {
        return List.of("-Dquarkus.grpc.clients.ledger.host=127.0.0.1",
                "-Dquarkus.grpc.clients.ledger.port=" + ledger.port());
    }
}
