package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.keyfed.cli.testing.Cli;

/** {@code keyfed completion}'s script, loaded into a real bash and asked what it completes. */
class CompletionTest {
    @TempDir
    Path home;
    Path script;

    @BeforeEach
    void writeScript() throws Exception {
        Cli.Result r = new Cli(home, "http://127.0.0.1:1").run("completion");
        assertEquals(0, r.exit(), r::toString);
        script = home.resolve("keyfed-completion.bash");
        Files.writeString(script, r.out());
    }

    /** What bash offers after {@code line} (the words so far; the last one is being completed). */
    private List<String> complete(String... words) throws Exception {
        StringBuilder w = new StringBuilder();
        for (String x : words) {
            w.append(" '").append(x).append('\'');
        }
        String line = String.join(" ", words);
        String cmd = "source '" + script + "'; COMP_WORDS=(" + w + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_keyfed 2>/dev/null;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void completesCommandsSubcommandsOptionsAndValues() throws Exception {
        assertTrue(complete("keyfed", "").containsAll(List.of("keys", "send", "workspace", "key", "genesis",
                "completion")), "top-level commands");
        assertEquals(List.of("request", "requests", "request-show"), complete("keyfed", "key", "req"));
        assertTrue(complete("keyfed", "workspace", "create", "--").containsAll(List.of("--from", "--owner",
                "--json", "--ledger")), "a command's own and global options");
        assertEquals(List.of("ecdsa", "ed25519", "eddsa", "bitcoin", "btc", "taproot", "bitcoin-taproot"),
                complete("keyfed", "key", "request", "--type", ""));
        assertTrue(complete("keyfed", "key", "show", "1", "--wallet", "").containsAll(List.of("native", "evm",
                "btc_taproot_mainnet", "btc_taproot_testnet", "btc_taproot_regnet")));
    }

    /** "sign" is a command and the head of "sign show" / "sign list": both its options and subcommands complete. */
    @Test
    void completesTheSignCommandItsSubcommandsAndStatuses() throws Exception {
        assertEquals(List.of("show", "list"), complete("keyfed", "sign", ""));
        assertTrue(complete("keyfed", "sign", "--").containsAll(List.of("--from", "--key", "--message", "--max-fee",
                "--timeout", "--wait")), "sign's own options");
        assertEquals(List.of("pending", "partial", "fulfilled", "rejected"),
                complete("keyfed", "sign", "list", "--status", ""));
    }
}
