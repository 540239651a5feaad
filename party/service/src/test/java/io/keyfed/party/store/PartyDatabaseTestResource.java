package io.keyfed.party.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import io.keyfed.party.hsm.SoftHsmTestTokens;
import io.keyfed.platform.testing.EmbeddedTestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real, throwaway PostgreSQL (the shared {@link EmbeddedTestPostgres}), a SoftHSM test token and an admin token
 * file (random, mode 0600, under target/; {@code keyfed.party.admin.token-file}) for a {@code @QuarkusTest} of the party.
 * Runs in its own surefire execution (party/service/pom.xml, {@code quarkus-tests}), whose SOFTHSM2_CONF
 * and token pool are its own.
 */
public class PartyDatabaseTestResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedTestPostgres pg;

    @Override
    public Map<String, String> start() {
        pg = EmbeddedTestPostgres.start("party-pg");
        SoftHsmTestTokens.TestToken token = SoftHsmTestTokens.token("quarkus-party");
        Map<String, String> config = new HashMap<>(pg.quarkusDatasource());
        config.put("keyfed.party.hsm.config-file", token.sunPkcs11Config().toString());
        config.put("keyfed.party.hsm.pin-file", token.userPinFile().toString());
        config.put("keyfed.party.admin.token-file", adminTokenFile().toString());
        return config;
    }

    private static Path adminTokenFile() {
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        try {
            Path dir = Files.createDirectories(Path.of("target", "quarkus-admin").toAbsolutePath());
            Path file = Files.createTempFile(dir, "admin-", ".token",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, HexFormat.of().formatHex(raw) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (pg != null) {
            pg.close();
        }
    }
}
