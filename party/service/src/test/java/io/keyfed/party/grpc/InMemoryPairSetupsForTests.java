package io.keyfed.party.grpc;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.PairSetupState;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SetupMessages;
import io.keyfed.party.dkls.Step;
import io.keyfed.party.pairing.PairSetups;
import io.keyfed.party.transport.PeerIdentity;

/**
 * TEST ONLY: the DKLs23 pairwise setups of a {@link PartyCluster}'s members, run in memory ({@link PairSetup}, both
 * sides in this JVM) instead of over the transport. Production uses the pairing service ({@code
 * io.keyfed.party.pairing}), which runs the setup between the two party processes and seals it in each token; this
 * stand-in lets the signing sessions be tested before that service is merged. One setup per pair of addresses, run
 * on first use; {@link PairSetups#discard} forgets it (so the next use runs a fresh one) and is recorded for the
 * tests to check. Thread-safe.
 */
public final class InMemoryPairSetupsForTests {
    /** One discard: who discarded its setup with whom, and why. */
    public record Discard(String by, String peer, String reason) {
    }

    /** A pair's setup, both sides encoded, with the identifiers it was labelled with. */
    private record Pair(String low, int lowId, int highId, byte[] lowSide, byte[] highSide) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Pair> pairs = new HashMap<>();
    private final List<Discard> discards = new CopyOnWriteArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();

    /** The setups as the party {@code self} sees them. */
    public PairSetups forParty(String self) {
        return new PairSetups() {
            @Override
            public CompletableFuture<PairwiseSetupOutput> ensure(PeerIdentity peer, int selfId, int peerId,
                    long signRequestId, long deadlineMillis) {
                return CompletableFuture.supplyAsync(() -> copy(self, peer.address(), selfId, peerId));
            }

            @Override
            public void discard(PeerIdentity peer, String reason) {
                synchronized (InMemoryPairSetupsForTests.this) {
                    pairs.remove(key(self, peer.address()));
                }
                discards.add(new Discard(self, peer.address(), reason));
            }
        };
    }

    /** The discards so far, oldest first. */
    public List<Discard> discards() {
        return List.copyOf(discards);
    }

    /** How many setups were run in memory so far. */
    public int runs() {
        return runs.get();
    }

    private synchronized PairwiseSetupOutput copy(String self, String peer, int selfId, int peerId) {
        boolean selfLow = self.compareTo(peer) < 0;
        int lowId = selfLow ? selfId : peerId;
        int highId = selfLow ? peerId : selfId;
        String key = key(self, peer);
        Pair p = pairs.get(key);
        if (p == null || p.lowId() != lowId || p.highId() != highId) {
            p = run(selfLow ? self : peer, lowId, highId);
            pairs.put(key, p);
        }
        return PairwiseSetupOutput.decode(selfLow ? p.lowSide() : p.highSide());
    }

    private Pair run(String low, int lowId, int highId) {
        PairwiseSetupOutput[] both = runInMemory(lowId, highId);
        try {
            runs.incrementAndGet();
            return new Pair(low, lowId, highId, both[0].encode(), both[1].encode());
        } catch (DklsAbort e) {
            throw new IllegalStateException("a fresh setup is usable", e);
        } finally {
            both[0].destroy();
            both[1].destroy();
        }
    }

    /** One pairwise setup between identifiers {@code a} and {@code b}, both sides in memory: {a's, b's}. */
    public static PairwiseSetupOutput[] runInMemory(int a, int b) {
        byte[] setupId = new byte[32];
        RANDOM.nextBytes(setupId);
        try {
            Step<PairSetupState, SetupMessages.Round1> a1 = PairSetup.start(setupId, a, b, RANDOM);
            Step<PairSetupState, SetupMessages.Round1> b1 = PairSetup.start(setupId, b, a, RANDOM);
            Step<PairSetupState, SetupMessages.Round2> a2 = PairSetup.round2(a1.state(), b1.message(), RANDOM);
            Step<PairSetupState, SetupMessages.Round2> b2 = PairSetup.round2(b1.state(), a1.message(), RANDOM);
            Step<PairSetupState, SetupMessages.Round3> a3 = PairSetup.round3(a2.state(), b2.message());
            Step<PairSetupState, SetupMessages.Round3> b3 = PairSetup.round3(b2.state(), a2.message());
            Step<PairSetupState, SetupMessages.Round4> a4 = PairSetup.round4(a3.state(), b3.message());
            Step<PairSetupState, SetupMessages.Round4> b4 = PairSetup.round4(b3.state(), a3.message());
            Step<PairSetupState, SetupMessages.Round5> a5 = PairSetup.round5(a4.state(), b4.message());
            Step<PairSetupState, SetupMessages.Round5> b5 = PairSetup.round5(b4.state(), a4.message());
            return new PairwiseSetupOutput[] { PairSetup.finish(a5.state(), b5.message()),
                    PairSetup.finish(b5.state(), a5.message()) };
        } catch (DklsAbort e) {
            throw new IllegalStateException("the in-memory pairwise setup failed: " + e.error().describe(), e);
        }
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
