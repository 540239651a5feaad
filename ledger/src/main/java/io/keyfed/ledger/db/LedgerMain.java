package io.keyfed.ledger.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Entry point. When no datasource URL is configured (system properties, environment or configuration),
 * starts an embedded PostgreSQL whose data directory ({@code keyfed.ledger.data-dir}, default
 * {@code .keyfed/ledger/pgdata}) survives restarts, points the datasource at it, runs the ledger and
 * stops PostgreSQL afterwards. Given the usual {@code quarkus.datasource.*} settings it uses that server.
 */
@QuarkusMain
public final class LedgerMain {
    private static final Logger LOG = Logger.getLogger(LedgerMain.class);
    static final String DATA_DIR = "keyfed.ledger.data-dir";

    private LedgerMain() {
    }

    public static void main(String... args) throws IOException {
        if (datasourceConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = Path.of(setting(DATA_DIR).orElse(".keyfed/ledger/pgdata")).toAbsolutePath();
        EmbeddedPostgres pg = start(dataDir);
        try {
            String db = "postgres";
            int port = pg.getPort();
            System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/" + db);
            System.setProperty("quarkus.datasource.reactive.url", "postgresql://localhost:" + port + "/" + db);
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "postgres");
            LOG.infof("embedded PostgreSQL on port %d, data in %s", port, dataDir);
            stopQuarkusFirstOnSignals();
            Quarkus.run(args);
        } finally {
            pg.close();
        }
        System.exit(0);
    }

    /**
     * The embedded server registers its own JVM shutdown hook, which would race the ledger's. On SIGTERM
     * and SIGINT, stop the ledger instead; {@link #main} then stops PostgreSQL and exits.
     */
    private static void stopQuarkusFirstOnSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Quarkus.asyncExit());
            } catch (IllegalArgumentException e) {
                LOG.debugf("cannot handle SIG%s: %s", name, e.getMessage());
            }
        }
    }

    /** Starts PostgreSQL with a persistent data directory; its work files live next to it. */
    public static EmbeddedPostgres start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path work = dataDir.resolveSibling(dataDir.getFileName() + "-work");
        Files.createDirectories(work);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(work.toFile())
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
    }

    static boolean datasourceConfigured() {
        return setting("quarkus.datasource.reactive.url").isPresent() || setting("quarkus.datasource.jdbc.url").isPresent();
    }

    private static Optional<String> setting(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            v = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        if (v == null || v.isBlank()) {
            try {
                v = ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse(null);
            } catch (RuntimeException e) {
                v = null;
            }
        }
        return Optional.ofNullable(v).filter(s -> !s.isBlank());
    }
}
