package io.keyfed.ledger.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.keyfed.platform.testing.EmbeddedTestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A throwaway real PostgreSQL (the shared {@link EmbeddedTestPostgres}) and a genesis funding the test accounts. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedTestPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            pg = EmbeddedTestPostgres.start("ledger-pg");
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Path genesis = Files.createTempFile(tmp, "genesis", ".json");
            Files.writeString(genesis, genesisJson());
            Map<String, String> config = new HashMap<>(pg.quarkusDatasource());
            config.put("keyfed.ledger.genesis-file", genesis.toString());
            config.put("keyfed.ledger.chain-id", TestKeys.CHAIN_ID);
            return config;
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
            pg.close();
        }
    }
}
