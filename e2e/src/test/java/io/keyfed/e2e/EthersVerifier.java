package io.keyfed.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The independent ECDSA check: {@code tools/verify-node/recover.js}, which recovers a secp256k1 signature with the
 * npm package {@code ethers} (v6: {@code SigningKey.recoverPublicKey}, {@code recoverAddress},
 * {@code computeAddress}) and checks that it recovers to the expected EVM address and/or compressed key and that
 * s is low. It shares no code with KeyFed. Installed as {@link NobleVerifier} installs the same folder (Node.js and
 * npm on the PATH, {@code npm ci} from the URL-free lockfile); a missing Node.js or a failed install fails the
 * caller.
 */
final class EthersVerifier {
    /**
     * One signature to check: the 32-byte digest, 64-byte {@code r || s}, the recovery id (0 or 1), and what it
     * must recover to: an EVM address, a 33-byte compressed key, or both (null for one not checked).
     */
    record Item(String id, byte[] digest, byte[] signature, int recoveryId, String address, byte[] key) {
    }

    /** The tool's verdict on one item ({@code error} is empty when it checks out). */
    record Verdict(String id, boolean valid, String recoveredAddress, String error) {
    }

    /** The whole run: the tool's exit status, a verdict per item in order, and its output for messages. */
    record Run(int exit, List<Verdict> verdicts, String output) {
        boolean allValid() {
            return exit == 0 && !verdicts.isEmpty() && verdicts.stream().allMatch(Verdict::valid);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path tool;

    private EthersVerifier(Path tool) {
        this.tool = tool;
    }

    /** The tool of the checkout at {@code root}, its packages (ethers among them) installed. */
    static EthersVerifier install(Path root) throws Exception {
        NobleVerifier.install(root);
        Path tool = root.resolve("tools/verify-node");
        if (!Files.isRegularFile(tool.resolve("recover.js"))) {
            throw new IllegalStateException(tool + "/recover.js is missing");
        }
        if (!Files.isRegularFile(tool.resolve("node_modules/ethers/package.json"))) {
            throw new IllegalStateException("ethers is not installed in " + tool + "/node_modules");
        }
        return new EthersVerifier(tool);
    }

    /** Runs the tool over {@code items} (JSON lines in a temporary file). */
    Run check(List<Item> items) throws Exception {
        StringBuilder lines = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (Item i : items) {
            if (i.signature().length != 64) {
                throw new IllegalArgumentException(i.id() + ": a signature is 64 bytes r || s");
            }
            ObjectNode n = JSON.createObjectNode().put("id", i.id()).put("digest", hex.formatHex(i.digest()))
                    .put("r", hex.formatHex(i.signature(), 0, 32)).put("s", hex.formatHex(i.signature(), 32, 64))
                    .put("recovery_id", i.recoveryId());
            if (i.address() != null) {
                n.put("address", i.address());
            }
            if (i.key() != null) {
                n.put("key", hex.formatHex(i.key()));
            }
            lines.append(n).append('\n');
        }
        return checkText(lines.toString());
    }

    /** Runs the tool over {@code input} as given (for malformed-input cases). */
    Run checkText(String input) throws Exception {
        Path file = Files.createTempFile("recover-node", ".jsonl");
        try {
            Files.writeString(file, input);
            NobleVerifier.Result r = NobleVerifier.run(tool, 120, List.of("node", "recover.js", file.toString()));
            List<Verdict> verdicts = new ArrayList<>();
            for (String line : r.stdout().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                verdicts.add(new Verdict(n.path("id").asText(), n.path("valid").asBoolean(false),
                        n.path("recovered_address").asText(""), n.path("error").asText("")));
            }
            return new Run(r.exit(), verdicts, r.output());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
