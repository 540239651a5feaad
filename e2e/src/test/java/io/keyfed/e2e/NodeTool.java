package io.keyfed.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code tools/verify-node}: the Node.js scripts that check the federation's signatures with npm packages sharing no
 * code with KeyFed. Node.js and npm are found on the PATH; the packages are installed from the folder's URL-free
 * lockfile with {@code npm ci} unless {@code node_modules} already holds exactly them. A missing Node.js or a
 * failed install fails the caller: a signature that nobody independent checked is not a verified one.
 */
final class NodeTool {
    /** A script's run over JSON lines: its exit status, one parsed line per output line, and its output. */
    record Lines(int exit, List<JsonNode> lines, String output) {
    }

    /** A finished command: exit status, standard output, and both outputs together (for messages). */
    record Result(int exit, String stdout, String output) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    private NodeTool(Path dir) {
        this.dir = dir;
    }

    /** The tool folder of the checkout at {@code root}, with {@code packages} (names under node_modules) present. */
    static NodeTool install(Path root, String... packages) throws Exception {
        Path dir = root.resolve("tools/verify-node");
        for (String cmd : List.of("node", "npm")) {
            Result v = run(dir, 60, List.of(cmd, "--version"));
            if (v.exit() != 0) {
                throw new IllegalStateException(cmd + " is not installed (Node.js 18 or later and npm are needed to "
                        + "verify the federation's signatures independently): " + v.output());
            }
        }
        boolean installed = List.of(packages).stream().allMatch(p -> Files.isDirectory(dir.resolve("node_modules/" + p)))
                && run(dir, 120, List.of("npm", "ls", "--omit=dev")).exit() == 0;
        if (!installed) {
            Result ci = run(dir, 300, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"));
            if (ci.exit() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed:\n" + ci.output());
            }
        }
        if (Files.readString(dir.resolve("package-lock.json")).contains("http")) {
            throw new IllegalStateException("npm wrote an address into " + dir + "/package-lock.json");
        }
        for (String p : packages) {
            if (!Files.isRegularFile(dir.resolve("node_modules/" + p + "/package.json"))) {
                throw new IllegalStateException(p + " is not installed in " + dir + "/node_modules");
            }
        }
        return new NodeTool(dir);
    }

    /** Fails unless the folder holds {@code script}. */
    NodeTool requireScript(String script) {
        if (!Files.isRegularFile(dir.resolve(script))) {
            throw new IllegalStateException(dir + "/" + script + " is missing");
        }
        return this;
    }

    /** Runs {@code node script FILE} over {@code input} (JSON lines written to FILE) and parses its output lines. */
    Lines runJsonLines(String script, String input) throws Exception {
        Path file = Files.createTempFile("verify-node", ".jsonl");
        try {
            Files.writeString(file, input);
            Result r = run(dir, 120, List.of("node", script, file.toString()));
            List<JsonNode> lines = new ArrayList<>();
            for (String line : r.stdout().split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return new Lines(r.exit(), lines, r.output());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs {@code cmd} in {@code dir}; exit 127 when it cannot start. */
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
