package io.keyfed.cli.args;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Hand-rolled option parser: {@code --name value}, {@code --name=value}, flags, and {@code --} to end options. */
public final class ArgParser {
    private ArgParser() {
    }

    /**
     * Parses {@code args} against the command's options plus the global ones.
     *
     * @throws UsageException on an unknown option, a missing value or required option, or a wrong number of
     *                        positional arguments
     */
    public static ParsedArgs parse(CommandSpec spec, List<Opt> globals, List<String> args) throws UsageException {
        String usage = spec.usage(globals);
        List<Opt> known = new ArrayList<>(spec.options());
        known.addAll(globals);
        ParsedArgs out = new ParsedArgs(usage);
        Set<String> seen = new HashSet<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!optionsEnded && a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (optionsEnded || !a.startsWith("--") || a.length() == 2) {
                out.addPositional(a);
                continue;
            }
            String name = a;
            String inline = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            Opt opt = find(known, name);
            if (opt == null) {
                throw new UsageException("unknown option " + name, usage);
            }
            if (!opt.repeatable() && !seen.add(opt.name())) {
                throw new UsageException("option " + name + " given more than once", usage);
            }
            if (opt.takesValue()) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option " + name + " needs a value " + opt.valueName(), usage);
                    }
                    v = args.get(++i);
                }
                out.add(opt.name(), v);
            } else {
                if (inline != null) {
                    throw new UsageException("option " + name + " takes no value", usage);
                }
                out.add(opt.name(), "true");
            }
        }
        if (out.has("--help")) {
            return out;
        }
        for (Opt o : spec.options()) {
            if (o.required() && !out.has(o.name())) {
                throw new UsageException("missing required option " + o.name(), usage);
            }
        }
        int n = out.positionals().size();
        if (n < spec.requiredPositionals()) {
            throw new UsageException("missing argument " + spec.positionals().get(n), usage);
        }
        if (n > spec.positionals().size()) {
            throw new UsageException("unexpected argument '" + out.positionals().get(spec.positionals().size()) + "'",
                    usage);
        }
        return out;
    }

    private static Opt find(List<Opt> opts, String name) {
        for (Opt o : opts) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }
}
