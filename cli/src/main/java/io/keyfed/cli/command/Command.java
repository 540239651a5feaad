package io.keyfed.cli.command;

import picocli.CommandLine.Model.CommandSpec;

/**
 * One subcommand: its full name ("send", "workspace create"), its picocli spec and what it does.
 * The spec is a template: {@link CommandRegistry#commandLine()} copies it into each new command tree.
 */
public record Command(String name, CommandSpec spec, Handler handler) {

    @FunctionalInterface
    public interface Handler {
        /** Runs the command; returns the exit status. */
        int run(Context ctx, Args args) throws Exception;
    }
}
