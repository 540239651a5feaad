package io.keyfed.party.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.keyfed.party.hsm.SoftHsmTestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real, throwaway PostgreSQL (zonky) and a SoftHSM test token for a {@code @QuarkusTest} of the party.
 * Runs in its own surefire execution (party/service/pom.xml, {@code quarkus-tests}), whose SOFTHSM2_CONF
 * and token pool are its own.
 */
public class PartyDatabaseTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(Files.createTempDirectory(tmp, "party-pg").toFile()).start();
            SoftHsmTestTokens.TestToken token = SoftHsmTestTokens.token("quarkus-party");
            String base = "localhost:" + pg.getPort() + "/postgres";
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + base,
                    "quarkus.datasource.reactive.url", "postgresql://" + base,
                    "keyfed.party.hsm.config-file", token.sunPkcs11Config().toString(),
                    "keyfed.party.hsm.pin-file", token.userPinFile().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
