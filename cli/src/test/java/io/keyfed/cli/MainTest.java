package io.keyfed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.keyfed.cli.command.Command;
import io.keyfed.cli.command.CommandRegistry;
import io.keyfed.cli.testing.Cli;

class MainTest {
    @TempDir
    Path home;

    /** Nothing listens here: usage errors must be reported before any network access. */
    private Cli cli() {
        return new Cli(home, "http://127.0.0.1:1");
    }

    static Stream<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (Command c : CommandRegistry.standard().all()) {
            names.add(c.name());
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("commandNames")
    void helpOnEverySubcommand(String name) {
        List<String> args = new ArrayList<>(List.of(name.split(" ")));
        args.add("--help");
        Cli.Result r = cli().run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage: keyfed " + name), r::toString);
        assertTrue(r.out().contains("global options:"), r::toString);
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @MethodSource("commandNames")
    void helpWordAndLeadingHelpFlagWorkToo(String name) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(List.of(name.split(" ")));
        Cli.Result r = cli().run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().startsWith("usage: keyfed " + name), r::toString);

        List<String> lead = new ArrayList<>(List.of("--help"));
        lead.addAll(List.of(name.split(" ")));
        Cli.Result r2 = cli().run(lead.toArray(String[]::new));
        assertEquals(0, r2.exit(), r2::toString);
        assertTrue(r2.out().startsWith("usage: keyfed " + name), r2::toString);
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        Cli.Result r = cli().run("--help");
        assertEquals(0, r.exit());
        commandNames().forEach(n -> assertTrue(r.out().contains("  " + n + " "), n));
    }

    @Test
    void groupHelp() {
        for (String g : new String[] {"keys", "workspace", "keyring", "key", "tx"}) {
            Cli.Result r = cli().run(g, "--help");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("subcommands:"), r::toString);
        }
    }

    private static void assertUsageError(Cli.Result r, String messagePart) {
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertTrue(r.err().startsWith("error: "), r::toString);
        assertTrue(r.err().contains(messagePart), r::toString);
        assertTrue(r.err().contains("usage: keyfed"), r::toString);
    }

    @Test
    void noCommandIsAUsageError() {
        assertUsageError(cli().run(), "no command");
    }

    @Test
    void unknownCommand() {
        assertUsageError(cli().run("frobnicate"), "unknown command 'frobnicate'");
    }

    @Test
    void unknownSubcommand() {
        assertUsageError(cli().run("workspace", "explode"), "unknown subcommand 'explode'");
        assertUsageError(cli().run("key"), "missing subcommand");
    }

    @Test
    void unknownOptions() {
        assertUsageError(cli().run("--bogus", "params"), "unknown option --bogus");
        assertUsageError(cli().run("params", "--bogus"), "unknown option --bogus");
        assertUsageError(cli().run("send", "--from", "a", "--to", "b", "--amount", "1", "--colour", "red"),
                "unknown option --colour");
    }

    @Test
    void missingRequiredOptionsAndArguments() {
        assertUsageError(cli().run("send", "--from", "a", "--to", "b"), "missing required option --amount");
        assertUsageError(cli().run("keys", "add"), "missing argument NAME");
        assertUsageError(cli().run("workspace", "show"), "missing argument ADDR");
        assertUsageError(cli().run("keyring", "create", "--from", "a", "--description", "d", "--threshold", "1",
                "--key-fee", "1"), "missing required option --party");
    }

    @Test
    void badValues() {
        assertUsageError(cli().run("send", "--from", "a", "--to", "b", "--amount", "-5"), "--amount");
        assertUsageError(cli().run("send", "--from", "a", "--to", "b", "--amount", "ten"), "--amount");
        assertUsageError(cli().run("key", "show", "x1"), "ID");
        assertUsageError(cli().run("key", "show", "1", "--wallet", "dogecoin"), "unknown wallet type");
        assertUsageError(cli().run("key", "requests", "--status", "sleeping"), "unknown status");
        assertUsageError(cli().run("tx", "show"), "either HASH or --height");
        assertUsageError(cli().run("tx", "show", "ab", "--height", "3"), "either HASH or --height");
        assertUsageError(cli().run("keyring", "update", "--from", "a", "--keyring", "k"), "nothing to update");
        assertUsageError(cli().run("keyring", "update", "--from", "a", "--keyring", "k", "--active", "maybe"),
                "true or false");
        assertUsageError(cli().run("send", "extra", "--from", "a", "--to", "b", "--amount", "1"),
                "unexpected argument 'extra'");
    }

    @Test
    void badKeyTypeAndPartyAreUsageErrors() {
        assertUsageError(cli().run("key", "request", "--from", "a", "--workspace", "w", "--keyring", "k",
                "--type", "rsa"), "unknown key type 'rsa'");
        assertUsageError(cli().run("keyring", "add-party", "--from", "a", "--keyring", "k", "--party",
                "zen1abc:zz"), "not hex");
        assertUsageError(cli().run("keyring", "add-party", "--from", "a", "--keyring", "k", "--party",
                "zen1abc:0203"), "33-byte");
        assertUsageError(cli().run("keyring", "add-party", "--from", "a", "--keyring", "k", "--party",
                "nosuchkey"), "neither ADDR:PUBHEX nor");
    }

    @Test
    void helpNeverTouchesTheNetworkOrKeys() {
        Cli.Result r = cli().run("send", "--help", "--bogus");
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.out().contains("error"));
    }

    @Test
    void optionSyntaxErrorsAreUsageErrors() {
        assertUsageError(cli().run("send", "--from", "a", "--from", "b", "--to", "c", "--amount", "1"),
                "option --from given more than once");
        assertUsageError(cli().run("send", "--to", "c", "--amount", "1", "--from"), "--from");
        assertUsageError(cli().run("keys", "show", "a", "--party=yes"), "--party");
        assertUsageError(cli().run("--help", "frobnicate"), "unknown command 'frobnicate'");
    }

    @Test
    void doubleDashMakesTheRestArguments() {
        // taken as a key name (and refused as one), not as an unknown option
        Cli.Result r = cli().run("keys", "add", "--", "--weird");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("invalid key name '--weird'"), r::toString);
    }

    @Test
    void helpWordOnAGroupAndOnAnUnknownCommand() {
        Cli.Result r = cli().run("help", "keyring");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("subcommands:\n  keyring create "), r::toString);
        assertUsageError(cli().run("help", "nosuch"), "no such command 'nosuch'");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Cli.Result r = cli().run("--version");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("keyfed \\d+\\.\\d+\\.\\d+\\S*\n"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void unreachableLedgerIsAnErrorNotAUsageError() {
        Cli.Result r = cli().run("params");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("error: UNAVAILABLE: "), r::toString);
    }
}
