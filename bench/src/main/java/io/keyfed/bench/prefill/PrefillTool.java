package io.keyfed.bench.prefill;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./keyfed bench --prefill N}'s tool:
 *
 * <pre>
 *   fill        --home DIR --pgdata DIR --rows N [--workspace-keys W] [--keys-per-workspace S] [--fee F]
 *               [--threads T] [--out FILE]
 *               fills the ledger database of the embedded PostgreSQL on DIR (running) with N finished key requests
 *   list-timing --ledger URL --workspace W [--page 1000] [--page-size 20] [--calls 7] --prefill FILE [--json FILE]
 *               times listing W's keys on page 1 and on page P, and adds the figures to the bench's report
 * </pre>
 * Bad usage exits with status 2, a failure with 1.
 */
@Command(name = "PrefillTool", mixinStandardHelpOptions = true,
        description = "Prefill a ledger database with finished key requests; time key listing on it.",
        subcommands = {FillCommand.class, ListTimingCommand.class})
public final class PrefillTool implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] argv) {
        System.exit(new CommandLine(new PrefillTool()).setExpandAtFiles(false).execute(argv));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: fill or list-timing");
    }
}
