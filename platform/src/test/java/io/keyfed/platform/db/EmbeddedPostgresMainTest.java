package io.keyfed.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server: persistent data, port file, one process per data directory, servers side by side. */
class EmbeddedPostgresMainTest {

    /** JUnit deletes it, servers and unpacked binaries included, after each test. */
    @TempDir
    Path tmp;

    private Path freshDir() throws Exception {
        return Files.createTempDirectory(tmp, "platform-pg").resolve("pgdata");
    }

    private static Connection connect(EmbeddedPostgresMain.Instance pg) throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgresMain.USER, pg.password());
    }

    @Test
    void keepsItsDataAcrossRestartsAndPublishesItsPortWhileRunning() throws Exception {
        Path dir = freshDir();
        Path portFile = dir.resolveSibling("pgdata.port");
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            assertEquals(Integer.toString(pg.port()), Files.readString(portFile).strip());
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                s.execute("create table kept (v text)");
                s.execute("insert into kept values ('still here')");
            }
        }
        assertFalse(Files.exists(portFile), "port file removed when the server stops");
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir);
                Connection c = connect(pg);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select v from kept")) {
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    @Test
    void refusesASecondProcessOnTheSameDirectoryButRunsServersSideBySide() throws Exception {
        Path a = freshDir();
        Path b = freshDir();
        try (EmbeddedPostgresMain.Instance first = EmbeddedPostgresMain.start(a);
                EmbeddedPostgresMain.Instance other = EmbeddedPostgresMain.start(b)) {
            assertNotEquals(first.port(), other.port());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresMain.start(a));
            assertTrue(e.getMessage().contains("in use by another running process"), e.getMessage());
            try (Connection c = connect(first); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select 1")) {
                assertTrue(rs.next(), "the first server still runs");
            }
        }
    }

    @Test
    void keepsCommitsDurableAndRestartsAServerThatWasKilled() throws Exception {
        Path dir = freshDir();
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("show synchronous_commit")) {
                    assertTrue(rs.next());
                    assertEquals("on", rs.getString(1), "a confirmed commit must survive a crash");
                }
                s.execute("create table committed (v text)");
                s.execute("insert into committed values ('confirmed before the crash')");
            }
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            // The watchdog brings the server back on the same port; wait (bounded) until it answers.
            Exception last = null;
            for (int i = 0; i < 240; i++) {
                try (Connection c = connect(pg); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select v from committed")) {
                    assertTrue(rs.next());
                    assertEquals("confirmed before the crash", rs.getString(1));
                    assertNotEquals(pid, Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim()));
                    return;
                } catch (java.sql.SQLException e) {
                    last = e;
                    Thread.sleep(250);
                }
            }
            throw new AssertionError("the killed server was not restarted", last);
        }
    }
}
