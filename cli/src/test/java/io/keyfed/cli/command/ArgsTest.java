package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.ParameterException;

/** Values as the commands read them from picocli's parse of a real command line. */
class ArgsTest {
    private static Args parse(String... words) {
        var result = CommandRegistry.standard().commandLine().parseArgs(words);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return new Args(result);
    }

    @Test
    void readsInlineAndSeparateValuesRepeatsFlagsAndPositionals() {
        Args a = parse("keyring", "create", "--from=alice", "--description", "d", "--threshold", "2",
                "--key-fee", "5", "--party", "p1", "--party=p2", "--json");
        assertEquals("alice", a.get("--from"));
        assertEquals(List.of("p1", "p2"), a.all("--party"));
        assertEquals("p2", a.get("--party"), "the last value of a repeatable option");
        assertTrue(a.has("--json"));
        assertFalse(a.has("--sig-fee"));
        assertNull(a.get("--sig-fee"));
        assertEquals("0", a.get("--sig-fee", "0"));

        Args t = parse("tx", "show", "ab");
        assertEquals("ab", t.positional(0));
        assertEquals(List.of("ab"), t.positionals());
        assertNull(parse("tx", "show", "--height", "3").positional(0));
    }

    @Test
    void doubleDashEndsOptions() {
        assertEquals("--weird", parse("keys", "add", "--", "--weird").positional(0));
    }

    @Test
    void amountsAreCanonicalWholeNumbersOfAnySize() {
        Args a = parse("send", "--from", "a", "--to", "b", "--amount", "7");
        assertEquals("7", a.amount("--amount"));
        assertEquals(7L, a.longValue("--amount"));
        assertEquals("0", parse("send", "--from", "a", "--to", "b", "--amount", "0").amount("--amount"));
        ParameterException zero = assertThrows(ParameterException.class,
                () -> parse("send", "--from", "a", "--to", "b", "--amount", "007").amount("--amount"));
        assertTrue(zero.getMessage().contains("leading zero"), zero.getMessage());
        assertThrows(ParameterException.class,
                () -> parse("send", "--from", "a", "--to", "b", "--amount", "00").amount("--amount"));
        for (String bad : new String[] {"-1", "1.5", "abc", "", "1e3"}) {
            Args b = parse("send", "--from", "a", "--to", "b", "--amount", bad);
            ParameterException e = assertThrows(ParameterException.class, () -> b.amount("--amount"), bad);
            assertTrue(e.getMessage().contains("--amount"), e.getMessage());
            assertThrows(ParameterException.class, () -> b.longValue("--amount"), bad);
        }
        Args big = parse("send", "--from", "a", "--to", "b", "--amount", "123456789012345678901234567890");
        assertEquals("123456789012345678901234567890", big.amount("--amount"));
        assertThrows(ParameterException.class, () -> big.longValue("--amount"));
    }

    @Test
    void booleansAcceptTrueFalseYesNo() {
        assertTrue(parse("keyring", "update", "--from", "a", "--keyring", "k", "--active", "yes").bool("--active"));
        assertFalse(parse("keyring", "update", "--from", "a", "--keyring", "k", "--active", "FALSE").bool("--active"));
        Args maybe = parse("keyring", "update", "--from", "a", "--keyring", "k", "--active", "maybe");
        assertThrows(ParameterException.class, () -> maybe.bool("--active"));
    }

    @Test
    void aUsageErrorNamesItsCommand() {
        Args a = parse("send", "--from", "a", "--to", "b", "--amount", "1");
        ParameterException e = a.error("bad");
        assertEquals("bad", e.getMessage());
        assertTrue(e.getCommandLine().getUsageMessage().startsWith("usage: keyfed send --from NAME --to ADDR"),
                e.getCommandLine().getUsageMessage());
    }
}
