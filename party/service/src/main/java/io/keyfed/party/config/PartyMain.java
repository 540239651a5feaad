package io.keyfed.party.config;

import java.nio.file.Path;

import io.keyfed.platform.db.EmbeddedPostgresMain;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Without a configured datasource ({@code quarkus.datasource.jdbc.url} and
 * {@code reactive.url}, plus user and password) the party starts its own embedded PostgreSQL in
 * {@code <keyfed.party.data-dir>/pgdata} (default {@code .keyfed/party/pgdata}), which survives
 * restarts, and stops it when the party stops; its port is in {@code <data-dir>/pgdata.port} while it
 * runs. See {@link EmbeddedPostgresMain}.
 */
@QuarkusMain
public final class PartyMain {
    static final String DATA_DIR = "keyfed.party.data-dir";

    private PartyMain() {
    }

    public static void main(String... args) {
        Path dataDir = Path.of(EmbeddedPostgresMain.setting(DATA_DIR).orElse(".keyfed/party"));
        EmbeddedPostgresMain.run(dataDir.resolve("pgdata"), args);
    }
}
