package io.keyfed.party.hsm;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.keyfed.party.metrics.PartyMetrics;

/**
 * Makes the party's {@link HsmToken} injectable. The token is opened (blocking) when the first
 * bean that injects it is created, and closed on shutdown. Inject it into beans created at
 * start-up so that a wrong PIN, a missing library or an uninitialised token stops the party
 * before it serves anything.
 */
@Singleton
public class HsmTokenProducer {

    @Produces
    @Singleton
    HsmToken hsmToken(HsmConfig config, PartyMetrics metrics) {
        HsmToken token = HsmToken.open(config);
        token.onOperation(metrics);
        return token;
    }

    void close(@Disposes HsmToken token) {
        token.close();
    }
}
