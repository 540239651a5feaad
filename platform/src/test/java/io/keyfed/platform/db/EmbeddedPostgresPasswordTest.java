package io.keyfed.platform.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** The embedded server's password authentication, on real servers. */
class EmbeddedPostgresPasswordTest {
    /** SQLSTATE of a refused password (invalid_password). */
    private static final String INVALID_PASSWORD = "28P01";

    /** JUnit deletes it, servers and unpacked binaries included, after each test. */
    @TempDir
    Path tmp;

    private Path freshDir() throws Exception {
        return Files.createTempDirectory(tmp, "platform-pg-auth").resolve("pgdata");
    }

    private static Connection connect(EmbeddedPostgresMain.Instance pg, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", EmbeddedPostgresMain.USER);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(pg.jdbcUrl(), p);
    }

    private static String passwordFile(Path dir) throws Exception {
        return Files.readString(dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE)).strip();
    }

    private static void assertAnswers(EmbeddedPostgresMain.Instance pg, String password) throws SQLException {
        try (Connection c = connect(pg, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void refusesConnectionsWithoutThePasswordOrWithAWrongOne() throws Exception {
        Path dir = freshDir();
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            SQLException none = assertThrows(SQLException.class, () -> connect(pg, null).close());
            assertTrue(none.getMessage().contains("password"), none.getMessage());
            SQLException wrong = assertThrows(SQLException.class, () -> connect(pg, "not-the-password").close());
            assertEquals(INVALID_PASSWORD, wrong.getSQLState(), wrong.getMessage());
            assertTrue(wrong.getMessage().contains("password authentication failed"), wrong.getMessage());
            SQLException otherUser = assertThrows(SQLException.class, () -> DriverManager.getConnection(pg.jdbcUrl(),
                    "someone", "").close());
            assertTrue(otherUser.getMessage().contains("password"), otherUser.getMessage());

            assertEquals(passwordFile(dir), pg.password(), "the datasources use the file's password");
            assertAnswers(pg, pg.password());
            try (Connection c = connect(pg, pg.password()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select type, auth_method, error from pg_hba_file_rules")) {
                List<String> types = new ArrayList<>();
                while (rs.next()) {
                    assertEquals("scram-sha-256", rs.getString(2), "rule for " + rs.getString(1));
                    assertEquals(null, rs.getString(3));
                    types.add(rs.getString(1));
                }
                assertTrue(types.contains("local") && types.contains("host"), "socket and TCP rules: " + types);
            }
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
            String commandLine = ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("");
            assertFalse(commandLine.contains(pg.password()), "the password is on no command line");
        }
    }

    @Test
    void keepsThePasswordOwnerOnlyAndReusesItAfterARestart() throws Exception {
        Path dir = freshDir();
        String first;
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            first = pg.password();
            assertTrue(first.matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe");
        }
        Path file = dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            assertEquals(first, pg.password());
            assertEquals(first, passwordFile(dir));
            assertAnswers(pg, first);
        }
        try (EmbeddedPostgresMain.Instance other = EmbeddedPostgresMain.start(freshDir())) {
            assertNotEquals(first, other.password(), "each cluster draws its own");
        }
    }

    @Test
    void setsANewPasswordWhenTheFileWasDeleted() throws Exception {
        Path dir = freshDir();
        String old;
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            old = pg.password();
        }
        Files.delete(dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE));
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            assertNotEquals(old, pg.password());
            assertEquals(INVALID_PASSWORD, assertThrows(SQLException.class, () -> connect(pg, old).close())
                    .getSQLState());
            assertAnswers(pg, pg.password());
        }
    }

    @Test
    void convertsADataDirectoryThatTrustedLocalConnections() throws Exception {
        Path dir = freshDir();
        Path work = dir.resolveSibling("pgdata-work");
        Files.createDirectories(work);
        // As earlier versions made it: zonky's initdb, every local connection trusted, no password file.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile()).start();
                Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('from the trusting version')");
        }
        assertTrue(Files.readString(dir.resolve("pg_hba.conf")).contains("trust"));
        assertFalse(Files.exists(dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE)));

        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            assertThrows(SQLException.class, () -> connect(pg, null).close());
            assertFalse(Files.readString(dir.resolve("pg_hba.conf")).contains("trust"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE))));
            try (Connection c = connect(pg, passwordFile(dir)); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select v from kept")) {
                assertTrue(rs.next());
                assertEquals("from the trusting version", rs.getString(1));
            }
        }
    }

    @Test
    void refusesAPasswordFileOthersCanReadWithoutRevealingIt() throws Exception {
        Path dir = freshDir();
        String password;
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            password = pg.password();
        }
        Path file = dir.resolve(EmbeddedPostgresMain.PASSWORD_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresMain.start(dir));
        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
        assertFalse(e.getMessage().contains(password), "the message does not show the password");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "short\n");
        IllegalStateException malformed = assertThrows(IllegalStateException.class,
                () -> EmbeddedPostgresMain.start(dir));
        assertTrue(malformed.getMessage().contains("malformed"), malformed.getMessage());
        assertFalse(malformed.getMessage().contains("short"), "the message does not show the file's content");

        Files.writeString(file, password + "\n");
        try (EmbeddedPostgresMain.Instance pg = EmbeddedPostgresMain.start(dir)) {
            assertAnswers(pg, password);
        }
    }
}
