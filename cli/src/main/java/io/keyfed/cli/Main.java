package io.keyfed.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.keyfed.cli.args.ArgParser;
import io.keyfed.cli.args.CommandSpec;
import io.keyfed.cli.args.Opt;
import io.keyfed.cli.args.ParsedArgs;
import io.keyfed.cli.args.UsageException;
import io.keyfed.cli.command.CliException;
import io.keyfed.cli.command.CommandRegistry;
import io.keyfed.cli.command.Context;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.keys.KeyStoreException;

/**
 * Entry point: {@code keyfed [global options] COMMAND [options]}. Exit status 0 on success, 1 on an error
 * (printed as {@code error: CODE: message} on stderr), 2 on bad usage (usage printed on stderr).
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
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(e.usage() == null ? registry.usage(null) : e.usage());
            return USAGE;
        } catch (LedgerClientException e) {
            err.println("error: " + e.code() + ": " + e.getMessage());
            return ERROR;
        } catch (CliException e) {
            err.println("error: " + (e.code() == null ? "" : e.code() + ": ") + e.getMessage());
            return ERROR;
        } catch (KeyStoreException e) {
            err.println("error: " + e.getMessage());
            return ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
            return ERROR;
        } catch (RuntimeException e) {
            // Our own code never puts key material into exception messages.
            err.println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ERROR;
        } catch (Exception e) {
            err.println("error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int dispatch(Context ctx, List<String> args) throws Exception {
        // Global options before the command name.
        int i = 0;
        List<String> leading = new ArrayList<>();
        while (i < args.size() && args.get(i).startsWith("--")) {
            String a = args.get(i);
            Opt g = global(a);
            if (g == null) {
                throw new UsageException("unknown option " + a.split("=", 2)[0], registry.usage(null));
            }
            leading.add(a);
            if (g.takesValue() && !a.contains("=")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + a + " needs a value " + g.valueName(), registry.usage(null));
                }
                leading.add(args.get(++i));
            }
            i++;
        }
        ParsedArgs globals = ArgParser.parse(new CommandSpec("", ""), Context.GLOBAL_OPTIONS, leading);
        ctx.applyGlobals(globals);
        List<String> rest = args.subList(i, args.size());
        boolean help = globals.has(Context.HELP.name());

        if (!rest.isEmpty() && rest.get(0).equals("help")) {
            return help(ctx, rest.subList(1, rest.size()));
        }
        if (rest.isEmpty()) {
            if (help) {
                ctx.out().print(registry.usage(null));
                return OK;
            }
            throw new UsageException("no command given", registry.usage(null));
        }
        CommandRegistry.Match m = registry.resolve(rest);
        if (m == null) {
            String first = rest.get(0);
            if (registry.isGroup(first)) {
                if (help || rest.contains("--help")) {
                    ctx.out().print(registry.usage(first));
                    return OK;
                }
                String msg = rest.size() == 1 ? "missing subcommand" : "unknown subcommand '" + rest.get(1) + "'";
                throw new UsageException(first + ": " + msg, registry.usage(first));
            }
            throw new UsageException("unknown command '" + first + "'", registry.usage(null));
        }
        CommandSpec spec = m.command().spec();
        if (help || wantsHelp(m.rest())) {
            ctx.out().print(spec.usage(Context.GLOBAL_OPTIONS));
            return OK;
        }
        ParsedArgs parsed = ArgParser.parse(spec, Context.GLOBAL_OPTIONS, m.rest());
        ctx.applyGlobals(parsed);
        return m.command().handler().run(ctx, parsed);
    }

    private int help(Context ctx, List<String> words) throws UsageException {
        if (words.isEmpty()) {
            ctx.out().print(registry.usage(null));
            return OK;
        }
        CommandRegistry.Match m = registry.resolve(words);
        if (m != null && m.rest().isEmpty()) {
            ctx.out().print(m.command().spec().usage(Context.GLOBAL_OPTIONS));
            return OK;
        }
        if (words.size() == 1 && registry.isGroup(words.get(0))) {
            ctx.out().print(registry.usage(words.get(0)));
            return OK;
        }
        throw new UsageException("no such command '" + String.join(" ", words) + "'", registry.usage(null));
    }

    private static boolean wantsHelp(List<String> args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    private static Opt global(String arg) {
        String name = arg.split("=", 2)[0];
        for (Opt o : Context.GLOBAL_OPTIONS) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }
}
