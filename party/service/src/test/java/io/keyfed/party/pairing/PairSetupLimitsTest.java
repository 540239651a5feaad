package io.keyfed.party.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.grpc.PartyCluster;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * {@code max-pair-setups} bounds the runs a party has going at once, whoever asks: its own callers and peers'
 * HELLOs are refused with RESOURCE_EXHAUSTED naming the setting, and a run that ends frees its place.
 */
class PairSetupLimitsTest {
    @Test
    void runsBeyondTheCapAreRefusedUntilOneEnds() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            cluster.configure(c -> c.pairSetupTimeout = java.time.Duration.ofSeconds(3));
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            a.config.maxPairSetups = 1;
            cluster.startAll();
            // b stays silent: a's run with b holds a's only place until its 3 s are up
            b.outbound().set((to, kind, plain) -> EnvelopeCodec.protocolOf(kind) == EnvelopeCodec.Protocol.PAIRING
                    ? null : plain);
            CompletableFuture<PairwiseSetupOutput> withB = PairSetupClusterTest.ensure(a, b, 1, 2, 60_000);
            PartyException mine = assertInstanceOf(PartyException.class,
                    PairSetupClusterTest.failure(PairSetupClusterTest.ensure(a, c, 1, 3, 10_000)));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, mine.code());
            assertTrue(mine.getMessage().contains("keyfed.party.max-pair-setups") && mine.getMessage()
                    .contains(c.address), mine.getMessage());
            // c asks on its own: its HELLO is refused by a, so c's run cannot complete
            CompletableFuture<PairwiseSetupOutput> fromC = PairSetupClusterTest.ensure(c, a, 3, 1, 2_000);
            assertInstanceOf(PartyException.class, PairSetupClusterTest.failure(fromC));
            assertFalse(withB.isDone() && !withB.isCompletedExceptionally(), "b never answered");
            // the silent run times out and frees the place: a and c pair now
            PartyException timeout = assertInstanceOf(PartyException.class, PairSetupClusterTest.failure(withB));
            assertTrue(timeout.getMessage().contains(b.address), timeout.getMessage());
            // (c's own run, refused by a, ends at its timeout too: a call made before would join it and fail with it)
            assertTrue(PartyCluster.await(() -> ((PairSetupService) c.node().pairing()).running() == 0, 20));
            CompletableFuture<PairwiseSetupOutput> ac = PairSetupClusterTest.ensure(a, c, 1, 3, 30_000);
            CompletableFuture<PairwiseSetupOutput> ca = PairSetupClusterTest.ensure(c, a, 3, 1, 30_000);
            assertTrue(TwoPartySigning.signTogether(ac.get(40, TimeUnit.SECONDS), ca.get(40, TimeUnit.SECONDS)));
        }
    }
}
