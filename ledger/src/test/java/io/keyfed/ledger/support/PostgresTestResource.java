package io.keyfed.ledger.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A throwaway real PostgreSQL (zonky) and a genesis funding the test accounts. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            Path work = Files.createTempDirectory(tmp, "pg-work");
            pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work.toFile()).start();
            Path genesis = Files.createTempFile(tmp, "genesis", ".json");
            Files.writeString(genesis, genesisJson());
            String base = "localhost:" + pg.getPort() + "/postgres";
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + base,
                    "quarkus.datasource.reactive.url", "postgresql://" + base,
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    "keyfed.ledger.genesis-file", genesis.toString(),
                    "keyfed.ledger.chain-id", TestKeys.CHAIN_ID);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Funded accounts 1..FUNDED with {@link TestKeys#GENESIS_AMOUNT} each. */
    public static String genesisJson() {
        StringJoiner accounts = new StringJoiner(",");
        for (int i = 1; i <= TestKeys.FUNDED; i++) {
            accounts.add("{\"address\":\"" + TestKeys.account(i).address() + "\",\"amount\":\"" + TestKeys.GENESIS_AMOUNT
                    + "\"}");
        }
        return "{\"chain_id\":\"" + TestKeys.CHAIN_ID + "\",\"accounts\":[" + accounts
                + "],\"params\":{\"default_timeout_seconds\":300,\"max_timeout_seconds\":3600}}";
    }

    @Override
    public void stop() {
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
