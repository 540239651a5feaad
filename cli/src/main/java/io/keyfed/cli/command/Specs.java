package io.keyfed.cli.command;

import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Short factories for the picocli model of the client's commands. Each call builds a new spec: picocli ties an
 * option to the one command it is added to, so a shared option is a method, not a constant.
 */
public final class Specs {
    private Specs() {
    }

    /**
     * A command with its summary (first paragraph of --help) and notes (last paragraph; "" for none).
     *
     * @param name the full name, one or two words ("send", "workspace create")
     */
    public static CommandSpec command(String name, String summary, String notes) {
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().description(summary);
        if (!notes.isEmpty()) {
            spec.usageMessage().footer(notes.strip());
        }
        return spec;
    }

    public static CommandSpec command(String name, String summary) {
        return command(name, summary, "");
    }

    /** A flag: {@code --name}, no value. */
    public static OptionSpec flag(String name, String help) {
        return OptionSpec.builder(name).arity("0").type(boolean.class).description(help).build();
    }

    /** An optional {@code --name VALUE}. */
    public static OptionSpec value(String name, String valueName, String help) {
        return single(name, valueName, help).build();
    }

    /** An optional {@code --name VALUE} whose shell completion offers {@code choices}. */
    public static OptionSpec choice(String name, String valueName, String help, List<String> choices) {
        return single(name, valueName, help).completionCandidates(choices).build();
    }

    public static OptionSpec required(String name, String valueName, String help) {
        return single(name, valueName, help).required(true).build();
    }

    public static OptionSpec requiredChoice(String name, String valueName, String help, List<String> choices) {
        return single(name, valueName, help).required(true).completionCandidates(choices).build();
    }

    /** {@code --name VALUE}, any number of times. */
    public static OptionSpec repeated(String name, String valueName, String help) {
        return multi(name, valueName, help).build();
    }

    /** {@code --name VALUE}, at least once. */
    public static OptionSpec requiredRepeated(String name, String valueName, String help) {
        return multi(name, valueName, help).required(true).build();
    }

    /** A required positional argument. */
    public static PositionalParamSpec arg(String placeholder) {
        return PositionalParamSpec.builder().paramLabel(placeholder).arity("1").required(true).type(String.class)
                .build();
    }

    /** An optional positional argument. */
    public static PositionalParamSpec optionalArg(String placeholder) {
        return PositionalParamSpec.builder().paramLabel(placeholder).arity("0..1").type(String.class).build();
    }

    /** Whether an option takes a value (flags do not). */
    static boolean takesValue(OptionSpec o) {
        return o.arity().max() > 0;
    }

    private static OptionSpec.Builder single(String name, String valueName, String help) {
        return OptionSpec.builder(name).paramLabel(valueName).arity("1").type(String.class).description(help);
    }

    private static OptionSpec.Builder multi(String name, String valueName, String help) {
        return OptionSpec.builder(name).paramLabel(valueName).arity("1").type(List.class)
                .auxiliaryTypes(String.class).description(help);
    }
}
