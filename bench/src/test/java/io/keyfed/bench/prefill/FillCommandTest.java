package io.keyfed.bench.prefill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.cli.http.LedgerJson.TxEntry;
import io.keyfed.cli.keys.KeyStore;
import io.keyfed.cli.log.LogVerifier;
import io.keyfed.platform.db.EmbeddedPostgresMain;
import picocli.CommandLine;

/**
 * {@code PrefillTool fill} against a data directory run as the ledger runs its own ({@link EmbeddedPostgresMain}:
 * the port in {@code <dir>.port}, the password in the directory), with the ledger's migrations and genesis rows.
 */
class FillCommandTest {
    @TempDir
    static Path tmp;
    private static EmbeddedPostgresMain.Instance pg;
    private static Path home;
    private static String adminAddr;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgresMain.start(tmp.resolve("ledger"));
        home = tmp.resolve("home");
        adminAddr = new KeyStore(home).create("bench-admin", new SecureRandom()).address(Addresses.DEFAULT_PREFIX);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            Flyway.configure().dataSource(pg.jdbcUrl(), EmbeddedPostgresMain.USER, pg.password())
                    .locations("filesystem:" + Path.of("../ledger/src/main/resources/db/migration").toAbsolutePath())
                    .load().migrate();
            st.executeUpdate("insert into chain_head (id, height, hash, next_request_id) values (1, 0, '\\x"
                    + "00".repeat(32) + "', 1)");
            st.executeUpdate("insert into params (id, chain_id, address_prefix, denom, genesis_supply, escrow_address,"
                    + " default_timeout_seconds, max_timeout_seconds) values (1, 'keyfed-bench', 'zen', 'urock', 1000000,"
                    + " 'zen1escrowplaceholder', 120, 3600)");
            st.executeUpdate("insert into accounts (address, sequence, balance) values ('" + adminAddr + "', 0, 1000000)");
        }
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void fillsTheRunningDatabaseAndWritesWhatItDid() throws Exception {
        Path out = tmp.resolve("prefill.json");
        int rc = tool().execute("fill", "--home", home.toString(), "--pgdata", tmp.resolve("ledger").toString(),
                "--rows", "300", "--workspace-keys", "120", "--threads", "1", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals(300, j.path("prefill_rows").asLong());
        assertEquals(120, j.path("prefill_workspace_keys").asLong());
        assertTrue(j.has("prefill_vacuum_seconds"));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(120, count(st, "select count(*) from keys where workspace_addr = '"
                    + j.path("prefill_workspace").asText() + "'"));
            LogVerifier v = new LogVerifier();
            try (ResultSet rs = st.executeQuery("select height, hash, prev_hash, tx_bytes, outcome from tx_log order by height")) {
                while (rs.next()) {
                    v.accept(new TxEntry(rs.getLong(1), HexFormat.of().formatHex(rs.getBytes(2)),
                            HexFormat.of().formatHex(rs.getBytes(3)), rs.getBytes(4), rs.getString(5)));
                }
            }
            assertEquals(j.path("prefill_head_height").asLong(), v.count());
            assertEquals(1_000_000, count(st, "select sum(balance) from accounts"));
            // the statistics VACUUM (ANALYZE) left
            assertEquals(1, count(st, "select count(*) from pg_stat_user_tables where relname = 'keys'"
                    + " and last_vacuum is not null and last_analyze is not null"));
        }
    }

    @Test
    void badUsageExitsTwoAndChangesNothing() throws Exception {
        long before;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            before = count(st, "select height from chain_head");
        }
        StringWriter err = new StringWriter();
        CommandLine cl = tool();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("fill", "--home", home.toString(), "--pgdata", tmp.resolve("ledger").toString(),
                "--rows", "10", "--workspace-keys", "11");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("workspace keys must be 1..10"), err.toString());
        rc = cl.execute("fill", "--home", home.toString(), "--pgdata", tmp.resolve("nowhere").toString(), "--rows", "10");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("is not running"), err.toString());
        assertFalse(Files.exists(tmp.resolve("nowhere.port")));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(before, count(st, "select height from chain_head"));
        }
    }

    private static CommandLine tool() {
        return new CommandLine(new PrefillTool()).setExpandAtFiles(false);
    }

    private static Connection connect() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", EmbeddedPostgresMain.USER);
        p.setProperty("password", pg.password());
        return DriverManager.getConnection(pg.jdbcUrl(), p);
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }
}
