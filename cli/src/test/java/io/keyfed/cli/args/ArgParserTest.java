package io.keyfed.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ArgParserTest {
    private static final List<Opt> GLOBALS = List.of(Opt.flag("--json", "json"), Opt.flag("--help", "help"));

    private static CommandSpec spec() {
        return new CommandSpec("thing do", "does things")
                .arg("NAME")
                .optionalArg("EXTRA")
                .opt(Opt.required("--from", "NAME", "signer"))
                .opt(Opt.repeated("--owner", "ADDR", "owner"))
                .opt(Opt.value("--amount", "N", "amount"))
                .opt(Opt.flag("--wait", "wait"));
    }

    private static ParsedArgs parse(String... args) throws UsageException {
        return ArgParser.parse(spec(), GLOBALS, List.of(args));
    }

    @Test
    void parsesValuesFlagsRepeatsAndPositionals() throws Exception {
        ParsedArgs a = parse("n1", "--from", "alice", "--owner=o1", "--owner", "o2", "--wait", "--json", "e1");
        assertEquals("n1", a.positional(0));
        assertEquals("e1", a.positional(1));
        assertEquals("alice", a.get("--from"));
        assertEquals(List.of("o1", "o2"), a.all("--owner"));
        assertTrue(a.has("--wait"));
        assertTrue(a.has("--json"));
        assertFalse(a.has("--amount"));
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        ParsedArgs a = parse("--from", "a", "--", "--weird");
        assertEquals("--weird", a.positional(0));
    }

    @Test
    void usageErrors() {
        assertThrows(UsageException.class, () -> parse("n", "--from", "a", "--bogus"), "unknown option");
        assertThrows(UsageException.class, () -> parse("n", "--from"), "missing value");
        assertThrows(UsageException.class, () -> parse("n"), "missing required option");
        assertThrows(UsageException.class, () -> parse("--from", "a"), "missing positional");
        assertThrows(UsageException.class, () -> parse("n", "e", "x", "--from", "a"), "too many positionals");
        assertThrows(UsageException.class, () -> parse("n", "--from", "a", "--from", "b"), "repeated single option");
        assertThrows(UsageException.class, () -> parse("n", "--from", "a", "--wait=yes"), "flag with value");
    }

    @Test
    void usageErrorCarriesTheCommandUsage() {
        UsageException e = assertThrows(UsageException.class, () -> parse("n", "--bogus"));
        assertTrue(e.getMessage().contains("--bogus"));
        assertTrue(e.usage().startsWith("usage: keyfed thing do NAME [EXTRA] --from NAME"), e.usage());
    }

    @Test
    void helpSkipsRequiredChecks() throws Exception {
        assertTrue(parse("--help").has("--help"));
    }

    @Test
    void typedValues() throws Exception {
        ParsedArgs a = parse("n", "--from", "a", "--amount", "007");
        assertEquals("7", a.amount("--amount"));
        assertEquals(7L, a.longValue("--amount"));
        for (String bad : new String[] {"-1", "1.5", "abc", "", "1e3"}) {
            ParsedArgs b = parse("n", "--from", "a", "--amount", bad);
            assertThrows(UsageException.class, () -> b.amount("--amount"), bad);
            assertThrows(UsageException.class, () -> b.longValue("--amount"), bad);
        }
        ParsedArgs big = parse("n", "--from", "a", "--amount", "123456789012345678901234567890");
        assertEquals("123456789012345678901234567890", big.amount("--amount"));
        assertThrows(UsageException.class, () -> big.longValue("--amount"));
    }
}
