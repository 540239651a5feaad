package io.keyfed.party.pairing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.DklsError;
import io.keyfed.party.dkls.DklsSign;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;
import io.keyfed.party.dkls.Step;
import io.keyfed.party.grpc.PartyCluster;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;

/**
 * Two parties over real gRPC sockets, each with its real SoftHSM token and its own real PostgreSQL database, run
 * their pairwise setup through {@link PairSetups}. That two setups correlate is shown by signing with them (the
 * DKLs23 engine between the two returned outputs, the signature verified by BouncyCastle), not by equal ids.
 */
class PairSetupClusterTest {
    private PartyCluster cluster;
    private PartyCluster.Member a;
    private PartyCluster.Member b;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2").configure(c -> c.pairSetupTimeout = Duration.ofSeconds(20))
                .startAll();
        a = cluster.member(0);
        b = cluster.member(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    static PeerIdentity identity(PartyCluster.Member m) {
        return PeerIdentity.verify(m.node().identity(), m.address, m.token.identityPublicKey(), "zen");
    }

    /** {@code from}'s setup with {@code to}, for signing as {@code self} with {@code to} as {@code peer}. */
    static CompletableFuture<PairwiseSetupOutput> ensure(PartyCluster.Member from, PartyCluster.Member to, int self,
            int peer, long millis) {
        return from.node().pairing().ensure(identity(to), self, peer, 7, System.currentTimeMillis() + millis);
    }

    /** Both sides at once; returns {a's copy as signer 2, b's copy as signer 3}. */
    PairwiseSetupOutput[] ensureBoth() throws Exception {
        CompletableFuture<PairwiseSetupOutput> fa = ensure(a, b, 2, 3, 30_000);
        CompletableFuture<PairwiseSetupOutput> fb = ensure(b, a, 3, 2, 30_000);
        return new PairwiseSetupOutput[] { fa.get(40, TimeUnit.SECONDS), fb.get(40, TimeUnit.SECONDS) };
    }

    static double count(PartyCluster.Member m, String outcome) {
        return m.metrics.registry().get(PairMetrics.SETUPS).tags("outcome", outcome).counter().count();
    }

    /** The stored row with the other party: {setup id, sealed}, or null. */
    static byte[][] row(PartyCluster.Member m, String peer) throws Exception {
        try (Connection c = m.database().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT setup_id, sealed FROM party_pair_setup WHERE peer_address = ?")) {
            s.setString(1, peer);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new byte[][] { r.getBytes(1), r.getBytes(2) } : null;
            }
        }
    }

    static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void concurrentEnsureFromBothSidesGivesSetupsThatSignTogether() throws Exception {
        PairwiseSetupOutput[] s = ensureBoth();
        assertEquals(2, s[0].self());
        assertEquals(3, s[0].peer());
        assertEquals(3, s[1].self());
        assertArrayEquals(s[0].setupId(), s[1].setupId());
        assertTrue(TwoPartySigning.signTogether(s[0], s[1]));
        assertEquals(1.0, count(a, "fresh"));
        assertEquals(1.0, count(b, "fresh"));
        assertArrayEquals(s[0].setupId(), row(a, b.address)[0]);
        assertArrayEquals(s[0].setupId(), row(b, a.address)[0]);
    }

    @Test
    void aSecondEnsureReusesTheStoredSetupEvenWhenOnlyOneSideAsks() throws Exception {
        PairwiseSetupOutput[] first = ensureBoth();
        byte[][] storedA = row(a, b.address);
        byte[][] storedB = row(b, a.address);
        // only a asks: b answers its HELLO on its own
        PairwiseSetupOutput again = ensure(a, b, 2, 3, 30_000).get(40, TimeUnit.SECONDS);
        assertArrayEquals(first[0].setupId(), again.setupId());
        assertTrue(PartyCluster.await(() -> count(b, "reused") == 1.0, 20));
        assertEquals(1.0, count(a, "reused"));
        assertEquals(1.0, count(a, "fresh"), "no second fresh run");
        PairwiseSetupOutput bAgain = ensure(b, a, 3, 2, 30_000).get(40, TimeUnit.SECONDS);
        assertTrue(TwoPartySigning.signTogether(again, bAgain));
        assertArrayEquals(storedA[1], row(a, b.address)[1], "the stored row is unchanged");
        assertArrayEquals(storedB[1], row(b, a.address)[1]);
    }

    @Test
    void discardOnOneSideMakesTheNextEnsureRunAFreshSetupOnBoth() throws Exception {
        PairwiseSetupOutput[] first = ensureBoth();
        a.node().pairing().discard(identity(b), "test: a failed check");
        assertFalse(first[0].isUsable(), "the copy handed out is unusable after the discard");
        assertTrue(first[1].isUsable(), "the other side's copy is the other side's business");
        PairwiseSetupOutput[] second = ensureBoth();
        assertFalse(Arrays.equals(first[0].setupId(), second[0].setupId()));
        assertArrayEquals(second[0].setupId(), second[1].setupId());
        assertEquals(2.0, count(a, "fresh"));
        assertEquals(2.0, count(b, "fresh"));
        assertArrayEquals(second[1].setupId(), row(b, a.address)[0], "b replaced its stored setup");
        assertTrue(TwoPartySigning.signTogether(second[0], second[1]));
    }

    /**
     * DKLs18's errata: a signing past round 1 with a copy handed out before the discard stops at its next step
     * (the engine reads the mark the discard set on the copy), naming no culprit: the failed check named it.
     */
    @Test
    void aSigningPastRoundOneWithACopyHandedOutBeforeTheDiscardStopsAtItsNextRound() throws Exception {
        PairwiseSetupOutput[] s = ensureBoth();
        List<Step<SignState, SignMessages.Round1>> started = TwoPartySigning.round1Together(s[0], s[1]);
        a.node().pairing().discard(identity(b), "test: a failed check in another session");
        DklsAbort stopped = assertThrows(DklsAbort.class, () -> DklsSign.round2(started.get(0).state(),
                List.of(started.get(1).message().broadcast()), started.get(1).message().direct(), new SecureRandom()));
        assertEquals(new DklsError.SetupRetired(3), stopped.error());
        assertEquals(DklsError.UNATTRIBUTABLE, stopped.culprit());
        assertTrue(started.get(0).state().isDestroyed(), "the stopped session's secrets are wiped");
    }

    @Test
    void afterARestartTheSealedSetupIsLoadedAndStillSigns() throws Exception {
        PairwiseSetupOutput[] first = ensureBoth();
        a.stop();
        b.stop();
        a.start();
        b.start();
        PairwiseSetupOutput[] after = ensureBoth();
        assertArrayEquals(first[0].setupId(), after[0].setupId());
        assertEquals(1.0, count(a, "reused"));
        assertEquals(1.0, count(b, "reused"));
        assertEquals(0.0, count(a, "fresh"), "the restarted party ran no fresh setup");
        assertTrue(TwoPartySigning.signTogether(after[0], after[1]));
    }

    @Test
    void theStoredRowHoldsTheSetupSealedInTheTokenNeverItsEncoding() throws Exception {
        PairwiseSetupOutput[] s = ensureBoth();
        boolean aIsOne = PairIds.lower(a.address, b.address);
        byte[] encoded = s[0].relabelled(aIsOne ? 1 : 2, aIsOne ? 2 : 1).encode();
        byte[] sealed = row(a, b.address)[1];
        // the pads and the zero seed (32-byte pieces) of the encoding appear nowhere in the row
        for (int off = 45; off + 32 <= encoded.length; off += 32 * 37) {
            assertFalse(contains(sealed, Arrays.copyOfRange(encoded, off, off + 32)), "plaintext at " + off);
        }
        assertFalse(contains(sealed, Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
        // and it opens in a's token, under the documented associated data, to exactly that encoding
        byte[] aad = PairSealing.aad(a.address, b.address, a.token.identityPublicKey(), b.token.identityPublicKey(),
                s[0].setupId());
        assertArrayEquals(encoded, a.token.unseal(sealed, aad));
        byte[] otherPeer = PairSealing.aad(a.address, a.address, a.token.identityPublicKey(),
                b.token.identityPublicKey(), s[0].setupId());
        assertThrows(RuntimeException.class, () -> a.token.unseal(sealed, otherPeer));
    }

    @Test
    void aPeerThatNeverAnswersFailsTheEnsureByItsDeadlineNamingThePeer() throws Exception {
        b.outbound().set((to, kind, plain) -> kind == EnvelopeCodec.KIND_PAIR_HELLO
                || kind == EnvelopeCodec.KIND_PAIR_ROUND ? null : plain);
        Throwable t = failure(ensure(a, b, 2, 3, 2_000));
        PartyException e = assertInstanceOf(PartyException.class, t);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
        assertTrue(e.getMessage().contains(b.address), e.getMessage());
        assertTrue(PartyCluster.await(() -> row0(a, b.address), 5));
    }

    @Test
    void aTamperedRoundFailsTheRunNamingThePeerAndStoresNothing() throws Exception {
        // b corrupts one OT choice (round 2: 256 points of 33 bytes): a's base-OT sender check refuses it
        b.outbound().set((to, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_PAIR_ROUND && plain.length == 256 * 33) {
                byte[] bad = plain.clone();
                bad[33 * 5 + 10] ^= 1;
                return bad;
            }
            return plain;
        });
        Throwable t = failure(ensure(a, b, 2, 3, 30_000));
        PartyException e = assertInstanceOf(PartyException.class, t);
        assertTrue(e.getMessage().contains(b.address), e.getMessage());
        assertEquals(1.0, count(a, "failed"));
        assertEquals(0.0, count(a, "fresh"));
        assertTrue(row0(a, b.address), "nothing stored");
    }

    @Test
    void aMalformedRoundFailsTheRunNamingThePeerAndStoresNothing() throws Exception {
        // b sends a round 1 one byte short
        b.outbound().set((to, kind, plain) -> kind == EnvelopeCodec.KIND_PAIR_ROUND && plain.length == 130
                ? Arrays.copyOf(plain, 129) : plain);
        Throwable t = failure(ensure(a, b, 2, 3, 30_000));
        PartyException e = assertInstanceOf(PartyException.class, t);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(b.address) && e.getMessage().contains("round 1"), e.getMessage());
        assertTrue(row0(a, b.address), "nothing stored");
    }

    @Test
    void aPeerThatRestartsMidRunIsAnsweredAndTheWaitingCallerGetsTheNewSetup() throws Exception {
        // b takes part in the HELLOs but sends no round: a's run waits for b's round 1
        b.outbound().set((to, kind, plain) -> kind == EnvelopeCodec.KIND_PAIR_ROUND ? null : plain);
        CompletableFuture<PairwiseSetupOutput> waiting = ensure(a, b, 2, 3, 60_000);
        assertTrue(PartyCluster.await(() -> b.received.stream()
                .anyMatch(e -> e.getKind() == EnvelopeCodec.KIND_PAIR_ROUND), 20), "a sent its round 1");
        assertFalse(waiting.isDone());
        b.stop();
        b.outbound().set(null);
        b.start();
        // b, restarted, knows nothing of that run: its HELLO starts a new one, which a answers
        PairwiseSetupOutput theirs = ensure(b, a, 3, 2, 30_000).get(40, TimeUnit.SECONDS);
        PairwiseSetupOutput mine = waiting.get(40, TimeUnit.SECONDS);
        assertArrayEquals(theirs.setupId(), mine.setupId());
        assertEquals(1.0, count(a, "failed"), "the abandoned run");
        assertEquals(1.0, count(a, "fresh"));
        assertTrue(TwoPartySigning.signTogether(mine, theirs));
    }

    @Test
    void anEnsureWithBadIdentifiersIsRefusedStartingNothing() {
        PairSetups pairing = a.node().pairing();
        long deadline = System.currentTimeMillis() + 10_000;
        List<CompletableFuture<PairwiseSetupOutput>> bad = List.of(
                pairing.ensure(identity(b), 2, 2, 7, deadline),
                pairing.ensure(identity(b), 0, 3, 7, deadline),
                pairing.ensure(identity(b), 2, 3, 0, deadline),
                pairing.ensure(identity(a), 2, 3, 7, deadline));
        for (CompletableFuture<PairwiseSetupOutput> f : bad) {
            PartyException e = assertInstanceOf(PartyException.class, failure(f));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("distinct positive identifiers"), e.getMessage());
        }
        assertEquals(0, ((PairSetupService) pairing).running());
    }

    @Test
    void concurrentCallersForOnePeerShareOneRun() throws Exception {
        List<CompletableFuture<PairwiseSetupOutput>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(ensure(a, b, 2, 3, 30_000));
        }
        List<PairwiseSetupOutput> mine = new ArrayList<>();
        for (CompletableFuture<PairwiseSetupOutput> c : calls) {
            mine.add(c.get(40, TimeUnit.SECONDS));
        }
        assertEquals(1.0, count(a, "fresh"), "one run for the three calls");
        assertEquals(0.0, count(a, "reused"));
        assertArrayEquals(mine.get(0).setupId(), mine.get(2).setupId());
        mine.get(0).destroy();
        assertTrue(mine.get(1).isUsable(), "each caller has its own copy");
        PairwiseSetupOutput theirs = ensure(b, a, 3, 2, 30_000).get(40, TimeUnit.SECONDS);
        assertTrue(TwoPartySigning.signTogether(mine.get(2), theirs));
    }

    private static boolean row0(PartyCluster.Member m, String peer) {
        try {
            return row(m, peer) == null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
