package io.keyfed.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The independent verifier: {@code tools/verify-node/verify.js}, which checks Ed25519 and BIP-340 signatures with
 * the npm package {@code @noble/curves} and shares no code with KeyFed (installed and run by {@link NodeTool}).
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
    private final NodeTool tool;

    private NobleVerifier(NodeTool tool) {
        this.tool = tool;
    }

    /** The tool of the checkout at {@code root}, its packages installed. */
    static NobleVerifier install(Path root) throws Exception {
        return new NobleVerifier(NodeTool.install(root, "@noble/curves").requireScript("verify.js"));
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
        NodeTool.Lines r = tool.runJsonLines("verify.js", input);
        List<Verdict> verdicts = new ArrayList<>();
        for (JsonNode n : r.lines()) {
            verdicts.add(new Verdict(n.path("id").asText(), n.path("valid").asBoolean(false), n.path("error").asText("")));
        }
        return new Run(r.exit(), verdicts, r.output());
    }
}
