package io.keyfed.cli.command;

import io.keyfed.cli.args.CommandSpec;
import io.keyfed.cli.args.ParsedArgs;

/** One subcommand: its spec (options, usage) and what it does. */
public record Command(CommandSpec spec, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        /** Runs the command; returns the exit status. */
        int run(Context ctx, ParsedArgs args) throws Exception;
    }

    public String name() {
        return spec.name();
    }
}
