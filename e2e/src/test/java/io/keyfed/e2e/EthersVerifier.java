package io.keyfed.e2e;

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
 * s is low. It shares no code with KeyFed. Installed and run by {@link NodeTool}.
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
    private final NodeTool tool;

    private EthersVerifier(NodeTool tool) {
        this.tool = tool;
    }

    /** The tool of the checkout at {@code root}, its packages (ethers among them) installed. */
    static EthersVerifier install(Path root) throws Exception {
        return new EthersVerifier(NodeTool.install(root, "@noble/curves", "ethers").requireScript("recover.js"));
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
        NodeTool.Lines r = tool.runJsonLines("recover.js", input);
        List<Verdict> verdicts = new ArrayList<>();
        for (JsonNode n : r.lines()) {
            verdicts.add(new Verdict(n.path("id").asText(), n.path("valid").asBoolean(false),
                    n.path("recovered_address").asText(""), n.path("error").asText("")));
        }
        return new Run(r.exit(), verdicts, r.output());
    }
}
