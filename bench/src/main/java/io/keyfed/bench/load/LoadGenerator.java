package io.keyfed.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Closed-loop load generator for a running KeyFed deployment ({@code ./keyfed bench} drives it).
 *
 * <pre>
 *   init  --home DIR --accounts C --amount A --chain-id ID --genesis FILE [--timeout S]
 *         creates the admin key and C owner keys in DIR, writes a genesis funding them
 *   setup --home DIR --ledger URL --accounts C --threshold T --fee F --party ADDR:PUBHEX ...
 *         creates the keyring (admin) and one workspace owned by all C owners; prints KEYRING= and WORKSPACE=
 *   run   --home DIR --ledger URL --keyring K --workspace W --keys N --concurrency C --type ecdsa
 *         [--warmup W] [--timeout S] [--json FILE] [--group NAME=PID,PID] [--group-match NAME=TEXT]
 *         [--param NAME=VALUE] [--clk-tck 100] [--before-measure SHELL_COMMAND] [--threshold T --parties N]
 *         [--warmup-batch B] [--crypto-jmh FILE | --no-crypto REASON] [--cores C]
 *   crypto --jmh FILE [--type T] [--threshold T] [--parties N] [--sign [--messages M]] [--cores C] [--json FILE]
 *         crypto_ms_per_key and floor_keys_per_s from JMH results alone ({@link CryptoCost})
 * </pre>
 *
 * <p>The command line is parsed by picocli ({@link InitCommand}, {@link SetupCommand}, {@link RunCommand}); bad
 * usage exits with status 2, a failed run with 1. {@link LoadDriver} keeps the requests in flight,
 * {@link KeyRequestWatch} follows their final statuses and {@link LoadReport} prints the figures.
 */
@Command(name = "LoadGenerator", mixinStandardHelpOptions = true,
        description = "Closed-loop load of NewKeyRequests against a running KeyFed deployment.",
        subcommands = {InitCommand.class, SetupCommand.class, RunCommand.class, CryptoCommand.class})
public final class LoadGenerator implements Runnable {
    static final String ADMIN = "bench-admin";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] argv) {
        System.exit(new CommandLine(new LoadGenerator()).setExpandAtFiles(false).execute(argv));
    }

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: init, setup, run or crypto");
    }

    /** Name of the i-th owner key (1-based); each worker signs with its own owner. */
    static String ownerName(int i) {
        return "bench-owner-" + i;
    }
}
