package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.cli.testing.Cli;

class GenesisCommandTest {
    @TempDir
    Path home;

    @Test
    void writesAccountsAndParams() throws Exception {
        Cli cli = new Cli(home, "http://127.0.0.1:1");
        String alice = cli.run("keys", "add", "alice", "--quiet").out().strip();
        String bob = cli.run("keys", "add", "bob", "--quiet").out().strip();
        Path out = home.resolve("genesis.json");
        Cli.Result r = cli.run("genesis", "--out", out.toString(), "--chain-id", "keyfed-1",
                "--account", "alice=1000", "--account", bob + "=500", "--default-timeout", "120");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("wrote " + out + ": 2 accounts, supply 1500 urock, chain keyfed-1\n", r.out());
        JsonNode g = new ObjectMapper().readTree(Files.readString(out));
        assertEquals("keyfed-1", g.get("chain_id").asText());
        assertEquals(alice, g.get("accounts").get(0).get("address").asText());
        assertEquals("1000", g.get("accounts").get(0).get("amount").asText());
        assertEquals(bob, g.get("accounts").get(1).get("address").asText());
        assertEquals("500", g.get("accounts").get(1).get("amount").asText());
        assertEquals(120, g.get("params").get("default_timeout_seconds").asLong());
    }

    @Test
    void refusesBadAccounts() {
        Cli cli = new Cli(home, null);
        String out = home.resolve("g.json").toString();
        Cli.Result bad = cli.run("genesis", "--out", out, "--chain-id", "c", "--account", "nobody=5");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("neither a stored key nor a valid address"), bad::toString);
        String a = cli.run("keys", "add", "a", "--prefix", "zen", "--quiet").out().strip();
        Cli.Result dup = cli.run("genesis", "--out", out, "--chain-id", "c", "--account", "a=1", "--account",
                a + "=2");
        assertEquals(2, dup.exit(), dup::toString);
        assertTrue(dup.err().contains("listed twice"), dup::toString);
        Cli.Result zero = cli.run("genesis", "--out", out, "--chain-id", "c", "--account", "a=0500");
        assertEquals(2, zero.exit(), zero::toString);
        assertTrue(zero.err().contains("leading zero"), zero::toString);
        Cli.Result amt = cli.run("genesis", "--out", out, "--chain-id", "c", "--account", "a=-1");
        assertEquals(2, amt.exit(), amt::toString);
        Cli.Result noEq = cli.run("genesis", "--out", out, "--chain-id", "c", "--account", "a");
        assertEquals(2, noEq.exit(), noEq::toString);
        assertTrue(!Files.exists(Path.of(out)));
    }
}
