package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * All subcommands by full name ("send", "workspace create", ...), in registration order, and the picocli
 * command tree built from them: {@code keyfed} with one subcommand per one-word command or group, each group
 * with its subcommands. Every command takes the global options too.
 */
public final class CommandRegistry {
    /** The root command's name, shown in usage lines and used by shell completion. */
    public static final String ROOT = "keyfed";
    /** The hidden {@code help [COMMAND [SUBCOMMAND]]} command. */
    public static final String HELP = "help";

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private CommandLine tree;

    /** Adds a command; {@code spec}'s name is its full name, one or two words. */
    public CommandRegistry add(CommandSpec spec, Command.Handler handler) {
        String name = spec.name();
        if (tree != null) {
            throw new IllegalStateException("the command tree is already built");
        }
        if (name.split(" ").length > 2) {
            throw new IllegalArgumentException("command names have one or two words: " + name);
        }
        if (commands.putIfAbsent(name, new Command(name, spec, handler)) != null) {
            throw new IllegalStateException("duplicate command " + name);
        }
        return this;
    }

    /** Adds a command with notes, the last paragraph of its --help. */
    public CommandRegistry add(CommandSpec spec, String notes, Command.Handler handler) {
        spec.usageMessage().footer(notes.strip());
        return add(spec, handler);
    }

    /** The registry with every KeyFed command. */
    public static CommandRegistry standard() {
        CommandRegistry r = new CommandRegistry();
        KeysCommands.register(r);
        TxCommands.register(r);
        WorkspaceCommands.register(r);
        KeyringCommands.register(r);
        KeyCommands.register(r);
        SignCommands.register(r);
        QueryCommands.register(r);
        LogCommands.register(r);
        GenesisCommand.register(r);
        CertsCommand.register(r);
        ShellCommands.register(r);
        return r;
    }

    public Collection<Command> all() {
        return commands.values();
    }

    public Command get(String name) {
        return commands.get(name);
    }

    /** The command behind a node of {@link #commandLine()}, or null for the root, a group or {@code help}. */
    public Command command(CommandLine cl) {
        return commands.get(fullName(cl));
    }

    /** A command's name without the root: "workspace create"; "" for the root. */
    public static String fullName(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.equals(ROOT) ? "" : q.substring(ROOT.length() + 1);
    }

    /** The picocli command tree (built on first use): root, groups and commands, each with the global options. */
    public CommandLine commandLine() {
        if (tree == null) {
            tree = build();
        }
        return tree;
    }

    private CommandLine build() {
        CommandSpec root = CommandSpec.create().name(ROOT).version(Context.version());
        root.usageMessage().description("KeyFed client: keys, transactions and queries against a KeyFed ledger.");
        Context.globalOptions().forEach(root::addOption);
        root.addOption(OptionSpec.builder(Context.VERSION).arity("0").type(boolean.class).versionHelp(true)
                .description("print the client's version").build());
        CommandLine cl = new CommandLine(root);
        Map<String, CommandLine> groups = new LinkedHashMap<>();
        for (Command c : commands.values()) {
            String[] words = c.name().split(" ");
            CommandSpec spec = c.spec().name(words[words.length - 1]);
            for (OptionSpec g : Context.globalOptions()) {
                if (spec.findOption(g.longestName()) == null) {
                    spec.addOption(g); // a command's own option of the same name (certs --ledger) wins
                }
            }
            if (words.length == 1) {
                CommandLine own = new CommandLine(spec);
                cl.addSubcommand(words[0], own);
                groups.put(words[0], own); // a command may head a group of its own ("sign", "sign show")
            } else {
                groups.computeIfAbsent(words[0], g -> {
                    CommandSpec gs = CommandSpec.create().name(g);
                    Context.globalOptions().forEach(gs::addOption);
                    CommandLine gl = new CommandLine(gs);
                    cl.addSubcommand(g, gl);
                    return gl;
                }).addSubcommand(words[1], new CommandLine(spec));
            }
        }
        CommandSpec help = CommandSpec.create().name(HELP);
        help.usageMessage().description("Show the usage of a command").hidden(true);
        help.addPositional(PositionalParamSpec.builder().paramLabel("COMMAND").arity("0..2").type(List.class)
                .auxiliaryTypes(String.class).build());
        Context.globalOptions().forEach(help::addOption);
        cl.addSubcommand(HELP, new CommandLine(help));
        cl.setExpandAtFiles(false);
        cl.setHelpSectionKeys(List.of(HelpText.SECTION));
        cl.setHelpSectionMap(Map.of(HelpText.SECTION, h -> HelpText.render(h.commandSpec())));
        return cl;
    }

    /** The runnable commands below a node, in order (groups expanded, {@code help} left out). */
    static List<CommandLine> leaves(CommandLine cl) {
        List<CommandLine> out = new ArrayList<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            if (runnable(sub)) {
                out.add(sub);
            }
            out.addAll(leaves(sub));
        }
        return out;
    }

    /**
     * Whether a node below the root runs a command: every leaf does, and so does a command that heads a group
     * ("sign" with "sign show"); a plain group has no summary of its own.
     */
    static boolean runnable(CommandLine cl) {
        return cl.getSubcommands().isEmpty() || cl.getCommandSpec().usageMessage().description().length > 0;
    }
}
