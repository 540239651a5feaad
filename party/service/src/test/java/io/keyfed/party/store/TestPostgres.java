package io.keyfed.party.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server (embedded zonky, as in {@link PartyDatabaseTestResource}) for the in-JVM party
 * tests, started lazily the first time a test asks for a database and stopped when the JVM exits. Each
 * {@link #createDatabase} is a fresh database of its own on it ({@code CREATE DATABASE}, unique name) with the
 * party's Flyway schema ({@code classpath:db/migration}), so every party of every cluster has its own
 * database, as a deployed party does.
 */
public final class TestPostgres {
    private static TestPostgres shared;

    private final EmbeddedPostgres pg;
    private final Vertx vertx;
    private final AtomicInteger created = new AtomicInteger();

    private TestPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
        this.vertx = Vertx.vertx();
    }

    /** The JVM's server, started by the first call; closed by a shutdown hook. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            try {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                Files.createDirectories(tmp);
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(Files.createTempDirectory(tmp, "party-pg-cluster").toFile())
                        .start();
                TestPostgres started = new TestPostgres(pg);
                Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "test-postgres-shutdown"));
                shared = started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL of the party tests", e);
            }
        }
        return shared;
    }

    private void shutdown() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the JVM is exiting; the server is stopped below anyway
        }
        try {
            pg.close();
        } catch (IOException e) {
            // zonky's own shutdown hook stops it too
        }
    }

    /**
     * A new, empty database named after {@code label} (plus a number unique in this JVM), with the party's
     * schema migrated by Flyway.
     */
    public Database createDatabase(String label) {
        String name = "party_" + created.incrementAndGet() + "_"
                + label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        Database db = new Database(name);
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").load().migrate();
        return db;
    }

    /** One party's database on the shared server. */
    public final class Database implements AutoCloseable {
        private final String name;

        private Database(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** JDBC to this database (a new connection per {@code getConnection()}), for test setup and checks. */
        public DataSource dataSource() {
            return pg.getDatabase("postgres", name);
        }

        /** How the reactive client reaches this database. */
        public PgConnectOptions connectOptions() {
            return new PgConnectOptions().setHost("localhost").setPort(pg.getPort()).setDatabase(name)
                    .setUser("postgres").setPassword("postgres");
        }

        /** The party's store on this database, over a pool of its own on the shared Vert.x; the caller closes it. */
        public DbResultStore openStore() {
            return DbResultStore.open(vertx, connectOptions(), 4);
        }

        /** The request ids of every stored row, ascending. */
        public List<Long> requestIds() {
            List<Long> ids = new ArrayList<>();
            try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select request_id from party_key_record order by request_id")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot list the stored requests of " + name, e);
            }
            return ids;
        }

        /** Runs one statement with its parameters (JDBC), as someone editing the database would; rows changed. */
        public int update(String sql, Object... params) {
            try (Connection c = dataSource().getConnection(); PreparedStatement u = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    u.setObject(i + 1, params[i]);
                }
                return u.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot update " + name, e);
            }
        }

        /** Drops the database (closing any connection still open on it). */
        @Override
        public void close() {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop database " + name, e);
            }
        }
    }
}
