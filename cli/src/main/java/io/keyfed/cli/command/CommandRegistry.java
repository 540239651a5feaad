package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.keyfed.cli.args.CommandSpec;

/** All subcommands by name ("send", "workspace create", ...), in registration order. */
public final class CommandRegistry {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    /** A command found at the start of the argument list, and the arguments after its name. */
    public record Match(Command command, List<String> rest) {
    }

    public CommandRegistry add(CommandSpec spec, Command.Handler handler) {
        if (commands.putIfAbsent(spec.name(), new Command(spec, handler)) != null) {
            throw new IllegalStateException("duplicate command " + spec.name());
        }
        return this;
    }

    /** The registry with every KeyFed command. */
    public static CommandRegistry standard() {
        CommandRegistry r = new CommandRegistry();
        KeysCommands.register(r);
        TxCommands.register(r);
        WorkspaceCommands.register(r);
        KeyringCommands.register(r);
        KeyCommands.register(r);
        QueryCommands.register(r);
        LogCommands.register(r);
        GenesisCommand.register(r);
        return r;
    }

    public Collection<Command> all() {
        return commands.values();
    }

    public Command get(String name) {
        return commands.get(name);
    }

    /** Longest command name (one or two words) that the arguments start with, or null. */
    public Match resolve(List<String> args) {
        if (args.size() >= 2) {
            Command c = commands.get(args.get(0) + " " + args.get(1));
            if (c != null) {
                return new Match(c, args.subList(2, args.size()));
            }
        }
        if (!args.isEmpty()) {
            Command c = commands.get(args.get(0));
            if (c != null) {
                return new Match(c, args.subList(1, args.size()));
            }
        }
        return null;
    }

    /** True when {@code word} is the first word of two-word commands, e.g. "workspace". */
    public boolean isGroup(String word) {
        for (String n : commands.keySet()) {
            if (n.startsWith(word + " ")) {
                return true;
            }
        }
        return false;
    }

    /** Usage listing the commands (of one group, or all when {@code group} is null). */
    public String usage(String group) {
        List<Command> shown = new ArrayList<>();
        for (Command c : commands.values()) {
            if (group == null || c.name().startsWith(group + " ")) {
                shown.add(c);
            }
        }
        int width = 0;
        for (Command c : shown) {
            width = Math.max(width, c.name().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("usage: keyfed [global options] ").append(group == null ? "COMMAND" : group + " SUBCOMMAND")
                .append(" [options]\n\n");
        sb.append(group == null ? "KeyFed client: keys, transactions and queries against a KeyFed ledger.\n\ncommands:\n"
                : "subcommands:\n");
        for (Command c : shown) {
            sb.append("  ").append(c.name()).append(" ".repeat(width - c.name().length() + 2))
                    .append(c.spec().summary()).append('\n');
        }
        sb.append("\nglobal options:\n");
        StringBuilder opts = new StringBuilder();
        for (var o : Context.GLOBAL_OPTIONS) {
            String l = o.takesValue() ? o.name() + " " + o.valueName() : o.name();
            opts.append(String.format("  %-14s %s%n", l, o.help()));
        }
        sb.append(opts);
        sb.append("\nRun 'keyfed ").append(group == null ? "COMMAND" : group + " SUBCOMMAND")
                .append(" --help' for the options of a command.\n");
        sb.append("Exit status: 0 success, 1 error (printed as 'error: CODE: message' on stderr), 2 bad usage.\n");
        return sb.toString();
    }
}
