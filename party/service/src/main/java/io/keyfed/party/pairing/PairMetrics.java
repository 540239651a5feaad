package io.keyfed.party.pairing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code keyfed_party_pair_setups_total{outcome}}: pairwise-setup runs this party took part in, by how they ended —
 * {@code fresh} (a new setup was run and sealed), {@code reused} (both held the same stored one), {@code failed}
 * (a check, the peer's silence or a local error; the log names the peer).
 */
final class PairMetrics {
    static final String SETUPS = "keyfed_party_pair_setups";

    private final Counter fresh;
    private final Counter reused;
    private final Counter failed;

    PairMetrics(MeterRegistry registry) {
        fresh = counter(registry, "fresh");
        reused = counter(registry, "reused");
        failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(SETUPS).tag("outcome", outcome)
                .description("Pairwise DKLs23 setup runs with a peer, by outcome").register(registry);
    }

    void fresh() {
        fresh.increment();
    }

    void reused() {
        reused.increment();
    }

    void failed() {
        failed.increment();
    }
}
