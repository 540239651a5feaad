package io.keyfed.party.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import io.keyfed.platform.testing.EmbeddedTestPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Party databases for the in-JVM party tests, on the JVM's shared test server
 * ({@link EmbeddedTestPostgres#shared()}, started the first time a test asks for a database and stopped when the
 * JVM exits). Each {@link #createDatabase} is a fresh database of its own on it with the party's Flyway schema
 * ({@code classpath:db/migration}), so every party of every cluster has its own database, as a deployed party
 * does.
 */
public final class TestPostgres {
    private static TestPostgres shared;

    private final EmbeddedTestPostgres pg;
    private final Vertx vertx;

    private TestPostgres(EmbeddedTestPostgres pg) {
        this.pg = pg;
        this.vertx = Vertx.vertx();
    }

    /** The party databases of this JVM, on its shared server; the Vert.x of their stores closes at exit. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            TestPostgres started = new TestPostgres(EmbeddedTestPostgres.shared());
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "test-postgres-vertx-shutdown"));
            shared = started;
        }
        return shared;
    }

    private void shutdown() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the JVM is exiting
        }
    }

    /**
     * A new, empty database named after {@code label} (plus a number unique in this JVM), with the party's
     * schema migrated by Flyway.
     */
    public Database createDatabase(String label) {
        Database db = new Database(pg.createDatabase("party_" + label));
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
            return pg.dataSource(name);
        }

        /** How the reactive client reaches this database. */
        public PgConnectOptions connectOptions() {
            return new PgConnectOptions().setHost("localhost").setPort(pg.port()).setDatabase(name)
                    .setUser(EmbeddedTestPostgres.USER).setPassword(pg.password());
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
            pg.dropDatabase(name);
        }
    }
}
