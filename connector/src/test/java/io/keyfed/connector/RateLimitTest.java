package io.keyfed.connector;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.pending;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code keyfed.connector.rate-limit-per-second} holds with slots to spare: requests arriving together are
 * started no faster than the rate. The bound checked is a lower one (a slow machine only spreads the starts
 * further), so the test does not depend on the machine's speed.
 */
@QuarkusTest
@QuarkusTestResource(value = RateLimitTest.TwoPerSecond.class, restrictToAnnotatedClass = true)
class RateLimitTest {

    /** The usual fakes, with a connector allowed two starts per second and many slots. */
    public static class TwoPerSecond extends FakeBackends {
        @Override
        protected Map<String, String> overrides() {
            return Map.of("keyfed.connector.rate-limit-per-second", "2", "keyfed.connector.max-in-flight", "16");
        }
    }

    @Test
    void requestsArrivingTogetherAreStartedNoFasterThanTheRate() {
        FakeLedger ledger = FakeBackends.LEDGER;
        FakeParty party = FakeBackends.PARTY;
        await("preloaded request answered", () -> !ledger.accepted(FakeBackends.PRELOADED_REQUEST).isEmpty());
        long[] ids = {200, 201, 202, 203, 204, 205};
        for (long id : ids) {
            ledger.emit(pending(id));
        }
        for (long id : ids) {
            await("request " + id + " answered", () -> !ledger.accepted(id).isEmpty());
        }
        List<Long> starts = new ArrayList<>();
        for (long id : ids) {
            starts.addAll(party.keygenArrivals(id));
        }
        Collections.sort(starts);
        long span = starts.get(starts.size() - 1) - starts.get(0);
        // A burst of at most two (one second's worth), then one start every 500 ms: the six take >= 2 s.
        assertTrue(span >= 1_500, "six starts at 2/s took only " + span + " ms: " + starts);
    }
}
