package io.keyfed.ledger.db;

import java.nio.file.Path;

import io.keyfed.platform.db.EmbeddedPostgresMain;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. When no datasource URL is configured (system properties, environment or configuration),
 * starts an embedded PostgreSQL whose data directory ({@code keyfed.ledger.data-dir}, default
 * {@code .keyfed/ledger/pgdata}) survives restarts, points the datasource at it, runs the ledger and
 * stops PostgreSQL afterwards ({@link EmbeddedPostgresMain}). Given the usual {@code quarkus.datasource.*}
 * settings it uses that server.
 */
@QuarkusMain
public final class LedgerMain {
    static final String DATA_DIR = "keyfed.ledger.data-dir";

    private LedgerMain() {
    }

    public static void main(String... args) {
        EmbeddedPostgresMain.run(Path.of(EmbeddedPostgresMain.setting(DATA_DIR).orElse(".keyfed/ledger/pgdata")),
                args);
    }
}
