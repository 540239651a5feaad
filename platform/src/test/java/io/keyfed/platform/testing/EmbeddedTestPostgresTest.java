package io.keyfed.platform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class EmbeddedTestPostgresTest {

    @Test
    void eachCreatedDatabaseIsFreshAndItsOwnAndDroppedOnRequest() throws SQLException {
        EmbeddedTestPostgres pg = EmbeddedTestPostgres.shared();
        String a = pg.createDatabase("Party One!");
        String b = pg.createDatabase("Party One!");
        assertNotEquals(a, b);
        assertTrue(a.matches("[a-z][a-z0-9_]*"), a);
        try (Connection c = pg.dataSource(a).getConnection(); Statement s = c.createStatement()) {
            s.execute("create table t (x int)");
        }
        try (Connection c = pg.dataSource(b).getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_tables where tablename = 't'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the other database does not see the table");
        }
        pg.dropDatabase(a);
        assertThrows(SQLException.class, () -> pg.dataSource(a).getConnection().close());
    }

    @Test
    void quarkusSettingsPointAtTheServer() {
        EmbeddedTestPostgres pg = EmbeddedTestPostgres.shared();
        assertEquals("jdbc:postgresql://localhost:" + pg.port() + "/postgres",
                pg.quarkusDatasource().get("quarkus.datasource.jdbc.url"));
        assertEquals("postgresql://localhost:" + pg.port() + "/db1",
                pg.quarkusDatasource("db1").get("quarkus.datasource.reactive.url"));
        assertEquals("postgres", pg.quarkusDatasource().get("quarkus.datasource.username"));
        assertEquals(pg.password(), pg.quarkusDatasource().get("quarkus.datasource.password"));
    }

    @Test
    void theServerWantsItsPassword() throws SQLException {
        EmbeddedTestPostgres pg = EmbeddedTestPostgres.shared();
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                pg.jdbcUrl(EmbeddedTestPostgres.DEFAULT_DATABASE), EmbeddedTestPostgres.USER, "postgres").close());
        assertEquals("28P01", e.getSQLState(), e.getMessage());
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(EmbeddedTestPostgres.DEFAULT_DATABASE),
                EmbeddedTestPostgres.USER, pg.password())) {
            assertTrue(c.isValid(5));
        }
    }
}
