package io.keyfed.cli.args;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Name, options and positional arguments of one subcommand, and its usage text. */
public final class CommandSpec {
    private final String name;
    private final String summary;
    private final List<Opt> options = new ArrayList<>();
    private final List<String> positionals = new ArrayList<>();
    private int requiredPositionals;
    private String notes = "";

    public CommandSpec(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    public CommandSpec opt(Opt o) {
        options.add(o);
        return this;
    }

    /** A required positional argument. */
    public CommandSpec arg(String placeholder) {
        if (requiredPositionals != positionals.size()) {
            throw new IllegalStateException("required positional after optional one");
        }
        positionals.add(placeholder);
        requiredPositionals++;
        return this;
    }

    /** An optional positional argument. */
    public CommandSpec optionalArg(String placeholder) {
        positionals.add(placeholder);
        return this;
    }

    /** Extra text shown at the end of --help. */
    public CommandSpec notes(String text) {
        this.notes = text;
        return this;
    }

    public String name() {
        return name;
    }

    public String summary() {
        return summary;
    }

    public List<Opt> options() {
        return Collections.unmodifiableList(options);
    }

    public List<String> positionals() {
        return Collections.unmodifiableList(positionals);
    }

    public int requiredPositionals() {
        return requiredPositionals;
    }

    public String usage(List<Opt> globalOptions) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: keyfed ").append(name);
        for (int i = 0; i < positionals.size(); i++) {
            sb.append(' ').append(i < requiredPositionals ? positionals.get(i) : "[" + positionals.get(i) + "]");
        }
        for (Opt o : options) {
            sb.append(' ').append(o.synopsis());
        }
        sb.append("\n\n").append(summary).append('\n');
        List<Opt> all = new ArrayList<>(options);
        if (!all.isEmpty()) {
            sb.append("\noptions:\n");
            appendOptions(sb, all);
        }
        sb.append("\nglobal options:\n");
        appendOptions(sb, globalOptions);
        if (!notes.isEmpty()) {
            sb.append('\n').append(notes.strip()).append('\n');
        }
        return sb.toString();
    }

    static void appendOptions(StringBuilder sb, List<Opt> opts) {
        int width = 0;
        for (Opt o : opts) {
            width = Math.max(width, label(o).length());
        }
        for (Opt o : opts) {
            String l = label(o);
            sb.append("  ").append(l).append(" ".repeat(width - l.length() + 2)).append(o.help());
            if (o.required()) {
                sb.append(" (required)");
            }
            if (o.repeatable()) {
                sb.append(" (repeatable)");
            }
            sb.append('\n');
        }
    }

    private static String label(Opt o) {
        return o.takesValue() ? o.name() + " " + o.valueName() : o.name();
    }
}
