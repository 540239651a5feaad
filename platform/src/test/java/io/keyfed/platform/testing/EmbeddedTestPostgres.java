package io.keyfed.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import io.keyfed.platform.db.EmbeddedPostgresMain;

/**
 * The one throwaway PostgreSQL of the tests: the services' own embedded server ({@link EmbeddedPostgresMain}, so
 * every connection needs its password), on a free port, its files in a fresh directory under
 * {@code java.io.tmpdir} (removed by {@link #close}); the binaries are unpacked once per JVM. Shared by the
 * ledger's and the party's tests through this module's test-jar.
 *
 * <ul>
 * <li>{@link #start} a server of one's own (a {@code QuarkusTestResourceLifecycleManager} closes it in
 * {@code stop()}); {@link #shared} the JVM's one server, closed when the JVM exits.</li>
 * <li>{@link #quarkusDatasource} points a Quarkus service at a database of it (JDBC and reactive URLs, user,
 * password).</li>
 * <li>{@link #createDatabase} gives a test a fresh, empty database of its own on the server.</li>
 * </ul>
 * The user is {@value #USER}, the password {@link #password()} (drawn at random for each server); the server
 * listens on localhost only.
 */
public final class EmbeddedTestPostgres implements AutoCloseable {
    public static final String USER = "postgres";
    /** The database every server starts with. */
    public static final String DEFAULT_DATABASE = "postgres";

    private static EmbeddedTestPostgres shared;
    private static Path binaries;

    private final EmbeddedPostgresMain.Instance pg;
    private final Path home;
    private final AtomicInteger created = new AtomicInteger();

    private EmbeddedTestPostgres(EmbeddedPostgresMain.Instance pg, Path home) {
        this.pg = pg;
        this.home = home;
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
            Path home = Files.createTempDirectory(tmp, label);
            return new EmbeddedTestPostgres(EmbeddedPostgresMain.start(home.resolve("pgdata"), binaries(tmp)), home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded test PostgreSQL '" + label + "'", e);
        }
    }

    /** The JVM's directory of zonky's unpacked binaries, shared by its servers. */
    private static synchronized Path binaries(Path tmp) throws IOException {
        if (binaries == null) {
            binaries = Files.createTempDirectory(tmp, "test-pg-binaries");
        }
        return binaries;
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
        return pg.port();
    }

    /** The password of {@value #USER} on this server. */
    public String password() {
        return pg.password();
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
                "quarkus.datasource.password", password());
    }

    /** JDBC to {@code database} (a new connection per {@code getConnection()}), for setup and checks. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] { "localhost" });
        ds.setPortNumbers(new int[] { port() });
        ds.setDatabaseName(database);
        ds.setUser(USER);
        ds.setPassword(password());
        return ds;
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
        try (Connection c = dataSource(DEFAULT_DATABASE).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(problem + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server and removes its files. */
    @Override
    public void close() {
        pg.close();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of the embedded test PostgreSQL in " + home, e);
        }
    }
}
