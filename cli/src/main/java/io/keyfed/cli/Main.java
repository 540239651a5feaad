package io.keyfed.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.keyfed.cli.command.Args;
import io.keyfed.cli.command.CliException;
import io.keyfed.cli.command.Command;
import io.keyfed.cli.command.CommandRegistry;
import io.keyfed.cli.command.Context;
import io.keyfed.cli.command.Output;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.KeyStoreException;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point: {@code keyfed [global options] COMMAND [options]}, parsed by picocli. Exit status 0 on success,
 * 1 on an error (printed as {@code error: CODE: message} on stderr), 2 on bad usage (usage printed on stderr).
 */
public final class Main {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;

    private final CommandRegistry registry;

    public Main(CommandRegistry registry) {
        this.registry = registry;
    }

    public static void main(String[] args) {
        int status = new Main(CommandRegistry.standard()).run(List.of(args), System.out, System.err, System.getenv());
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line; never calls System.exit. */
    public int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        Context ctx = new Context(out, err, env);
        try {
            return dispatch(ctx, args);
        } catch (ParameterException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(e.getCommandLine().getUsageMessage());
            return USAGE;
        } catch (LedgerClientException e) {
            err.println("error: " + e.code() + ": " + Output.escape(e.getMessage()));
            return ERROR;
        } catch (CliException e) {
            err.println("error: " + (e.code() == null ? "" : e.code() + ": ") + Output.escape(e.getMessage()));
            return ERROR;
        } catch (KeyStoreException e) {
            err.println("error: " + e.getMessage());
            return ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return ERROR;
        } catch (Exception e) {
            // Our own code never puts key material into exception messages.
            err.println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int dispatch(Context ctx, List<String> args) throws Exception {
        CommandLine root = registry.commandLine();
        ParseResult parsed;
        try {
            parsed = root.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            if (wantsHelp(args) && !isUnknownCommand(e)) {
                // --help wins over anything else wrong on the line, as long as the command is known
                ctx.out().print(e.getCommandLine().getUsageMessage());
                return OK;
            }
            throw usageError(e);
        }
        ParseResult leaf = parsed;
        boolean help = false;
        for (ParseResult r = parsed; r != null; r = r.subcommand()) {
            ctx.applyGlobals(r);
            help |= r.isUsageHelpRequested();
            leaf = r;
            CommandLine at = r.commandSpec().commandLine();
            if (!r.unmatched().isEmpty() && !at.getSubcommands().isEmpty()) {
                // picocli lets unmatched words pass when --help is given; an unknown command is still an error
                throw usageError(new UnmatchedArgumentException(at, r.unmatched()));
            }
        }
        CommandLine cl = leaf.commandSpec().commandLine();
        if (parsed.isVersionHelpRequested()) {
            ctx.out().println(Context.version());
            return OK;
        }
        if (cl.getCommandSpec().name().equals(CommandRegistry.HELP) && cl.getParent() == root) {
            return help(ctx, root, leaf.matchedPositionalValue(0, List.<String>of()));
        }
        if (help) {
            ctx.out().print(cl.getUsageMessage());
            return OK;
        }
        Command command = registry.command(cl);
        if (command == null) {
            throw new ParameterException(cl, cl == root ? "no command given"
                    : cl.getCommandSpec().name() + ": missing subcommand");
        }
        return command.handler().run(ctx, new Args(leaf));
    }

    /** {@code help [COMMAND [SUBCOMMAND]]}: the usage of the root, a group or a command. */
    private static int help(Context ctx, CommandLine root, List<String> words) {
        CommandLine cl = root;
        for (String w : words) {
            CommandLine sub = cl.getSubcommands().get(w);
            if (sub == null || w.equals(CommandRegistry.HELP)) {
                throw new ParameterException(root, "no such command '" + String.join(" ", words) + "'");
            }
            cl = sub;
        }
        ctx.out().print(cl.getUsageMessage());
        return OK;
    }

    private static boolean wantsHelp(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(Context.HELP)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnknownCommand(ParameterException e) {
        return e instanceof UnmatchedArgumentException u && !u.isUnknownOption()
                && !e.getCommandLine().getSubcommands().isEmpty();
    }

    /** Picocli's parse error, in the client's words. */
    private static ParameterException usageError(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-") && first.length() > 1) {
                message = "unknown option " + first.split("=", 2)[0];
            } else if (cl.getParent() == null && !cl.getSubcommands().isEmpty()) {
                message = "unknown command '" + first + "'";
            } else if (!cl.getSubcommands().isEmpty()) {
                message = cl.getCommandSpec().name() + ": unknown subcommand '" + first + "'";
            } else {
                message = "unexpected argument '" + first + "'";
            }
        } else if (e instanceof OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec opt) {
            message = "option " + opt.longestName() + " given more than once";
        } else if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            if (e.getMessage().startsWith("Missing required option")) {
                message = "missing required option " + ((OptionSpec) missing).longestName();
            } else if (e.getMessage().startsWith("Missing required parameter:")) {
                message = "missing argument " + missing.paramLabel();
            } else if (missing instanceof OptionSpec o) {
                message = "option " + o.longestName() + " needs a value " + o.paramLabel();
            }
        }
        return new ParameterException(cl, message, e);
    }
}
