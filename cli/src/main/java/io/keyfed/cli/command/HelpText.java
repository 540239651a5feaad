package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The client's usage text, rendered from the picocli model as picocli's only help section: for a command,
 * {@code usage: keyfed NAME ARGS OPTIONS}, its summary, its options, the global options and its notes; for the
 * root or a group, the list of commands.
 */
final class HelpText {
    static final String SECTION = "keyfed";

    private HelpText() {
    }

    static String render(CommandSpec spec) {
        CommandLine cl = spec.commandLine();
        if (spec.root() == spec) {
            return list(cl, null);
        }
        if (!CommandRegistry.runnable(cl)) {
            return list(cl, spec.name());
        }
        return command(spec);
    }

    /** Usage of one runnable command. */
    private static String command(CommandSpec spec) {
        List<OptionSpec> own = new ArrayList<>();
        List<OptionSpec> globals = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            (Context.isGlobal(o) ? globals : own).add(o);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("usage: keyfed ").append(CommandRegistry.fullName(spec.commandLine()));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            sb.append(' ').append(p.arity().min() > 0 ? p.paramLabel() : "[" + p.paramLabel() + "]");
        }
        for (OptionSpec o : own) {
            sb.append(' ').append(synopsis(o));
        }
        sb.append("\n\n").append(String.join("\n", spec.usageMessage().description())).append('\n');
        if (!own.isEmpty()) {
            sb.append("\noptions:\n");
            appendOptions(sb, own);
        }
        sb.append("\nglobal options:\n");
        appendOptions(sb, globals);
        String notes = String.join("\n", spec.usageMessage().footer());
        if (!notes.isEmpty()) {
            sb.append('\n').append(notes.strip()).append('\n');
        }
        return sb.toString();
    }

    /** The commands of the root ({@code group} null) or of one group. */
    private static String list(CommandLine cl, String group) {
        List<CommandLine> shown = CommandRegistry.leaves(cl);
        List<String> names = new ArrayList<>();
        int width = 0;
        for (CommandLine c : shown) {
            String n = CommandRegistry.fullName(c);
            names.add(n);
            width = Math.max(width, n.length());
        }
        String what = group == null ? "COMMAND" : group + " SUBCOMMAND";
        StringBuilder sb = new StringBuilder();
        sb.append("usage: keyfed [global options] ").append(what).append(" [options]\n\n");
        sb.append(group == null ? "KeyFed client: keys, transactions and queries against a KeyFed ledger.\n\ncommands:\n"
                : "subcommands:\n");
        for (int i = 0; i < shown.size(); i++) {
            sb.append("  ").append(names.get(i)).append(" ".repeat(width - names.get(i).length() + 2))
                    .append(String.join(" ", shown.get(i).getCommandSpec().usageMessage().description())).append('\n');
        }
        sb.append("\nglobal options:\n");
        List<OptionSpec> globals = new ArrayList<>(Context.globalOptions());
        if (group == null) {
            globals.add(Specs.flag(Context.VERSION, "print the client's version"));
        }
        for (OptionSpec o : globals) {
            sb.append(String.format("  %-14s %s%n", label(o), description(o)));
        }
        sb.append("\nRun 'keyfed ").append(what).append(" --help' for the options of a command.\n");
        if (group == null) {
            sb.append("Shell completion (bash): source <(keyfed completion)\n");
        }
        sb.append("Exit status: 0 success, 1 error (printed as 'error: CODE: message' on stderr), 2 bad usage.\n");
        return sb.toString();
    }

    private static void appendOptions(StringBuilder sb, List<OptionSpec> opts) {
        int width = 0;
        for (OptionSpec o : opts) {
            width = Math.max(width, label(o).length());
        }
        for (OptionSpec o : opts) {
            String l = label(o);
            sb.append("  ").append(l).append(" ".repeat(width - l.length() + 2)).append(description(o));
            if (o.required()) {
                sb.append(" (required)");
            }
            if (o.isMultiValue()) {
                sb.append(" (repeatable)");
            }
            sb.append('\n');
        }
    }

    private static String description(OptionSpec o) {
        return String.join(" ", o.description());
    }

    private static String label(OptionSpec o) {
        return Specs.takesValue(o) ? o.longestName() + " " + o.paramLabel() : o.longestName();
    }

    private static String synopsis(OptionSpec o) {
        String s = label(o);
        if (o.isMultiValue()) {
            s = s + "...";
        }
        return o.required() ? s : "[" + s + "]";
    }
}
