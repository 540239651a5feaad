package io.keyfed.party.store;

import java.util.HashMap;
import java.util.Map;

import io.keyfed.party.hsm.SoftHsmTestTokens;
import io.keyfed.platform.testing.EmbeddedTestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real, throwaway PostgreSQL (the shared {@link EmbeddedTestPostgres}) and a SoftHSM test token for a {@code @QuarkusTest} of the party.
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
        return config;
    }

    @Override
    public void stop() {
        if (pg != null) {
            pg.close();
        }
    }
}
