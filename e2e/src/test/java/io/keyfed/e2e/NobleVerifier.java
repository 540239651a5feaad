package io.keyfed.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The independent verifier: {@code tools/verify-node/verify.js}, which checks Ed25519 and BIP-340 signatures with
 * the npm package {@code @noble/curves} and shares no code with KeyFed. Node.js and npm are found on the PATH; the
 * tool's packages are installed from its URL-free lockfile with {@code npm ci} (as the grpc-node test does) unless
 * {@code node_modules} already holds exactly them. A missing Node.js or a failed install fails the caller: a
 * signature that nobody independent checked is not a verified one.
 */
final class NobleVerifier {
    /** One signature to check; {@code scheme} is {@code "ed25519"} or {@code "bip340"}. */
    record Item(String id, String scheme, byte[] key, byte[] message, byte[] signature) {
    }

    /** The tool's verdict on one item ({@code error} is empty when it verifies). */
    record Verdict(String id, boolean valid, String error) {
    }

    /** The whole run: the tool's exit status, a verdict per item in order, and its output for messages. */
    record Run(int exit, List<Verdict> verdicts, String output) {
        boolean allValid() {
            return exit == 0 && !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::valid);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path tool;

    private NobleVerifier(Path tool) {
        this.tool = tool;
    }

    /** The tool of the checkout at {@code root}, its packages installed. */
    static NobleVerifier install(Path root) throws Exception {
        Path tool = root.resolve("tools/verify-node");
        if (!Files.isRegularFile(tool.resolve("verify.js"))) {
            throw new IllegalStateException(tool + "/verify.js is missing");
        }
        for (String cmd : List.of("node", "npm")) {
            Result v = run(tool, 60, List.of(cmd, "--version"));
            if (v.exit != 0) {
                throw new IllegalStateException(cmd + " is not installed (Node.js 18 or later and npm are needed to "
                        + "verify the federation's signatures independently): " + v.output);
            }
        }
        boolean installed = Files.isDirectory(tool.resolve("node_modules/@noble/curves"))
                && run(tool, 120, List.of("npm", "ls", "--omit=dev")).exit == 0;
        if (!installed) {
            Result ci = run(tool, 300, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"));
            if (ci.exit != 0) {
                throw new IllegalStateException("npm ci in " + tool + " failed:\n" + ci.output);
            }
        }
        if (Files.readString(tool.resolve("package-lock.json")).contains("http")) {
            throw new IllegalStateException("npm wrote an address into " + tool + "/package-lock.json");
        }
        return new NobleVerifier(tool);
    }

    /** Runs the tool over {@code items} (JSON lines in a temporary file). */
    Run verify(List<Item> items) throws Exception {
        StringBuilder lines = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (Item i : items) {
            lines.append(JSON.createObjectNode().put("id", i.id()).put("scheme", i.scheme())
                    .put("key", hex.formatHex(i.key())).put("message", hex.formatHex(i.message()))
                    .put("signature", hex.formatHex(i.signature())).toString()).append('\n');
        }
        return verifyText(lines.toString());
    }

    /** Runs the tool over {@code input} as given (for malformed-input cases). */
    Run verifyText(String input) throws Exception {
        Path file = Files.createTempFile("verify-node", ".jsonl");
        try {
            Files.writeString(file, input);
            Result r = run(tool, 120, List.of("node", "verify.js", file.toString()));
            List<Verdict> verdicts = new ArrayList<>();
            for (String line : r.stdout.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                verdicts.add(new Verdict(n.path("id").asText(), n.path("valid").asBoolean(false),
                        n.path("error").asText("")));
            }
            return new Run(r.exit, verdicts, r.output);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A finished command: exit status, standard output, and both outputs together (for messages). */
    record Result(int exit, String stdout, String output) {
    }

    /** Runs {@code cmd} in {@code dir}; exit 127 when it cannot start (also used by {@link EthersVerifier}). */
    static Result run(Path dir, int seconds, List<String> cmd) throws Exception {
        Path err = Files.createTempFile("verify-node", ".err");
        try {
            Process p;
            try {
                p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                return new Result(127, "", e.getMessage());
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + seconds + " s");
            }
            return new Result(p.exitValue(), out, out + Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
