package io.keyfed.cli.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.keyfed.cli.Main;
import io.keyfed.cli.command.CommandRegistry;

/** Runs the client in-process with a given home and ledger URL, capturing stdout and stderr. */
public final class Cli {
    private final Map<String, String> env = new HashMap<>();

    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public Cli(Path home, String ledgerUrl) {
        env.put("KEYFED_HOME", home.toString());
        if (ledgerUrl != null) {
            env.put("KEYFED_LEDGER", ledgerUrl);
        }
    }

    /** Sets an environment variable of the runs. */
    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new Main(CommandRegistry.standard()).run(List.of(args), o, e, env);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
