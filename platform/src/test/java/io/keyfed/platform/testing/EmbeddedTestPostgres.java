package io.keyfed.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The one throwaway PostgreSQL of the tests (zonky's embedded server, as the services run in production, see
 * {@code EmbeddedPostgresMain}): a real server on a free port, its files in a fresh directory under
 * {@code java.io.tmpdir}. Shared by the ledger's and the party's tests through this module's test-jar.
 *
 * <ul>
 * <li>{@link #start} a server of one's own (a {@code QuarkusTestResourceLifecycleManager} closes it in
 * {@code stop()}); {@link #shared} the JVM's one server, closed when the JVM exits.</li>
 * <li>{@link #quarkusDatasource} points a Quarkus service at a database of it (JDBC and reactive URLs, user,
 * password).</li>
 * <li>{@link #createDatabase} gives a test a fresh, empty database of its own on the server.</li>
 * </ul>
 * User and password are {@value #USER}; the server listens on localhost only.
 */
public final class EmbeddedTestPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    /** The database every server starts with. */
    public static final String DEFAULT_DATABASE = "postgres";

    private static EmbeddedTestPostgres shared;

    private final EmbeddedPostgres pg;
    private final AtomicInteger created = new AtomicInteger();

    private EmbeddedTestPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /**
     * Starts a server whose files live in a new directory {@code <label>*} under {@code java.io.tmpdir}.
     *
     * @throws UncheckedIOException naming the label when the server does not start
     */
    public static EmbeddedTestPostgres start(String label) {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            Path work = Files.createTempDirectory(tmp, label);
            return new EmbeddedTestPostgres(EmbeddedPostgres.builder().setOverrideWorkingDirectory(work.toFile())
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded test PostgreSQL '" + label + "'", e);
        }
    }

    /** The JVM's server, started by the first call; stopped by a shutdown hook. */
    public static synchronized EmbeddedTestPostgres shared() {
        if (shared == null) {
            EmbeddedTestPostgres started = start("test-pg-shared");
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-postgres-shutdown"));
            shared = started;
        }
        return shared;
    }

    public int port() {
        return pg.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    /** The Quarkus datasource settings (JDBC for Flyway, reactive for the service) for the default database. */
    public Map<String, String> quarkusDatasource() {
        return quarkusDatasource(DEFAULT_DATABASE);
    }

    /** The Quarkus datasource settings (JDBC for Flyway, reactive for the service) for {@code database}. */
    public Map<String, String> quarkusDatasource(String database) {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(database),
                "quarkus.datasource.reactive.url", reactiveUrl(database),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    /** JDBC to {@code database} (a new connection per {@code getConnection()}), for setup and checks. */
    public DataSource dataSource(String database) {
        return pg.getDatabase(USER, database);
    }

    /**
     * A new, empty database named after {@code label} plus a number unique on this server (lower case, at
     * most 63 characters, as PostgreSQL wants); returns its name.
     */
    public String createDatabase(String label) {
        String name = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_" + created.incrementAndGet();
        if (name.length() > 63) {
            name = name.substring(name.length() - 63);
        }
        if (!Character.isLetter(name.charAt(0))) {
            name = "d" + name.substring(Math.min(1, name.length() - 1));
        }
        execute("CREATE DATABASE " + name, "cannot create database " + name);
        return name;
    }

    /** Drops {@code database}, closing any connection still open on it. */
    public void dropDatabase(String database) {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "cannot drop database " + database);
    }

    private void execute(String sql, String problem) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(problem + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded test PostgreSQL on port " + port(), e);
        }
    }
}
