package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.signing.SigningFaults;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * DKLs23 signing faults with three parties over real gRPC, tokens and PostgreSQL (2-of-3): a signer that corrupts
 * its OT extension (ROUND1) or multiplication (ROUND2) messages, one that tampers with its share of the signature
 * (ROUND3), a coordinator that alters a signer's contribution in its plan, and a coordinator that goes silent. The
 * faulty party coordinates attempt 0, so that it is in the first signer set; each test checks that its fault really
 * happened and that the honest parties still sign (in a later attempt, except where a RESULT reaches them).
 */
class EcdsaSigningFaultsTest {
    /** ROUND2 = u32 attempt | 32 sid | u16 m | u32 length of τ | τ ...: a byte inside message 0's τ. */
    private static final int TAU_BYTE = 4 + 32 + 2 + 4 + 1000;
    /** ROUND1 = u32 attempt | 32 sid | u16 m | 32 commitment | u32 length of u | u ...: message 0's u. */
    private static final int U_START = 4 + 32 + 2 + 32 + 4;
    /** u has κ = 256 rows of (ξ + 128) / 8 = 80 bytes. */
    private static final int U_ROWS = 256;
    private static final int U_ROW_BYTES = 80;

    /**
     * The cheat's change: ROUND2, one bit of τ (the multiplication); ROUND1, one bit in every row of u (the OT
     * extension: a row the sender's base-OT choice ignores goes unnoticed, so all 256 rows are changed).
     */
    private static byte[] corrupt(int kind, byte[] plain) {
        byte[] bad = plain.clone();
        if (kind == EnvelopeCodec.KIND_DKLS_ROUND2) {
            bad[TAU_BYTE] ^= 1;
        } else {
            for (int row = 0; row < U_ROWS; row++) {
                bad[U_START + row * U_ROW_BYTES] ^= 1;
            }
        }
        return bad;
    }

    private PartyCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2", "party-3")
                .configure(c -> c.signingAttemptTimeout = java.time.Duration.ofSeconds(4)).startAll();
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    /**
     * {@code m}'s stored setup with {@code peer} is deleted: the discard deletes it on a worker thread, so this waits
     * for it (20 s at most; nothing else makes or deletes that row during the test).
     */
    private static void assertSetupDeleted(PartyCluster.Member m, PartyCluster.Member peer) throws Exception {
        for (int i = 0; i < 200 && EcdsaSigning.storedSetupId(m, peer.address) != null; i++) {
            Thread.sleep(100);
        }
        assertNull(EcdsaSigning.storedSetupId(m, peer.address), m.name + " deleted its setup with " + peer.name);
    }

    /** Both parties hold the same stored setup with each other (none was discarded between them). */
    private static void assertPairHoldsOneSetup(PartyCluster.Member a, PartyCluster.Member b) throws Exception {
        byte[] ab = EcdsaSigning.storedSetupId(a, b.address);
        assertNotNull(ab, a.name + " holds a setup with " + b.name);
        assertArrayEquals(ab, EcdsaSigning.storedSetupId(b, a.address), "the same setup on both sides");
    }


    @ParameterizedTest(name = "kind {0}")
    @ValueSource(ints = { EnvelopeCodec.KIND_DKLS_ROUND1, EnvelopeCodec.KIND_DKLS_ROUND2 })
    void aSignerThatCorruptsItsOtOrMultiplicationIsNamedItsSetupDiscardedAndTheRequestSignsWithoutIt(int corruptKind)
            throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 41, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        PartyCluster.Member cheat = cluster.member(1);
        SignRequest r = EcdsaSigning.coordinatedBy(cluster, cheat, 100, 41, key, EcdsaSigning.digests("cheat", 2));
        AtomicInteger corrupted = new AtomicInteger();
        cheat.outbound().set((to, kind, plain) -> {
            if (kind == corruptKind) {
                corrupted.incrementAndGet();
                return corrupt(kind, plain);
            }
            return plain;
        });
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertTrue(corrupted.get() > 0, "the cheat really sent a corrupted message of kind " + corruptKind);
        Set<String> pairwise = Set.of("ot_consistency_check", "multiplication_check", "gamma_check");
        int namedBy = 0;
        for (int i : new int[] { 0, 2 }) {
            PartyCluster.Member honest = cluster.member(i);
            EcdsaSigning.assertFulfilledAndSigned(r, answers.get(i), honest);
            List<SigningFaults.Fault> named = honest.node().signing().faults();
            assertTrue(named.stream().allMatch(f -> f.culprit().equals(cheat.address)),
                    honest.name + " names no one but the cheat: " + named);
            if (named.stream().anyMatch(f -> pairwise.contains(f.check()) && f.signRequestId() == r.getId())) {
                namedBy++;
                assertSetupDeleted(honest, cheat);
                String check = named.get(0).check();
                assertEquals(1.0, honest.metrics.registry().get(PartyMetrics.SIGN_FAULTS)
                        .tags("check", check, "culprit", cheat.address).counter().count());
            }
        }
        assertTrue(namedBy >= 1, "an honest signer named the cheat");
        assertPairHoldsOneSetup(cluster.member(0), cluster.member(2)); // they signed together at last
        assertTrue(cluster.member(0).highestSignedAttempt() >= 1 || cluster.member(2).highestSignedAttempt() >= 1,
                "signed in a later attempt");
    }

    @Test
    void aTamperedShareOfTheSignatureNamesNoOneAndEveryPartyStillAnswersFulfilled() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 43, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        PartyCluster.Member cheat = cluster.member(2);
        SignRequest r = EcdsaSigning.coordinatedBy(cluster, cheat, 300, 43, key, EcdsaSigning.digests("share", 1));
        AtomicInteger tampered = new AtomicInteger();
        cheat.outbound().set((to, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_DKLS_ROUND3 && tampered.getAndIncrement() == 0) {
                byte[] bad = plain.clone();
                bad[bad.length - 1] ^= 1; // the low byte of w: the other signer's signature does not verify
                return bad;
            }
            return plain;
        });
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertEquals(1, tampered.get(), "the cheat really sent one tampered ROUND3, and only one");
        for (int i = 0; i < 3; i++) {
            EcdsaSigning.assertFulfilledAndSigned(r, answers.get(i), cluster.member(i));
            // "signing aborted, no single culprit": a share (u_j, w_j) that spoils the signature names no one.
            assertTrue(cluster.member(i).node().signing().faults().isEmpty(), cluster.member(i).name
                    + " names no one: " + cluster.member(i).node().signing().faults());
        }
    }

    @Test
    void aCoordinatorThatAltersAContributionInItsPlanIsNamedAndTheNextAttemptSigns() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 44, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        PartyCluster.Member cheat = cluster.member(0);
        SignRequest r = EcdsaSigning.coordinatedBy(cluster, cheat, 400, 44, key, EcdsaSigning.digests("plan", 1));
        AtomicInteger altered = new AtomicInteger();
        cheat.outbound().set((to, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_DKLS_PLAN && ByteBuffer.wrap(plain).getInt() == 0) { // attempt 0
                byte[] bad = plain.clone();
                bad[bad.length - 1] ^= 1; // the last signer's contribution, as its recipients see it
                altered.incrementAndGet();
                return bad;
            }
            return plain;
        });
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertTrue(altered.get() > 0, "the coordinator really sent an altered plan");
        Set<String> checks = Set.of("own_contribution_changed", "equivocating_plan");
        int namedBy = 0;
        for (int i = 1; i < 3; i++) {
            PartyCluster.Member honest = cluster.member(i);
            EcdsaSigning.assertFulfilledAndSigned(r, answers.get(i), honest);
            List<SigningFaults.Fault> named = honest.node().signing().faults();
            assertTrue(named.stream().allMatch(f -> f.culprit().equals(cheat.address) && checks.contains(f.check())),
                    honest.name + " names only the coordinator, for its plan: " + named);
            namedBy += named.isEmpty() ? 0 : 1;
            assertTrue(honest.highestSignedAttempt() >= 1, honest.name + " signed in a later attempt");
        }
        assertEquals(1, namedBy, "the honest signer of attempt 0 named the coordinator");
    }

    @Test
    void aSilentCoordinatorIsReplacedByTheNextAttempt() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 42, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        PartyCluster.Member silent = cluster.member(0);
        SignRequest r = EcdsaSigning.coordinatedBy(cluster, silent, 200, 42, key, EcdsaSigning.digests("silent", 1));
        AtomicInteger withheld = silent.outbound().withhold(EnvelopeCodec.Protocol.DKLS);
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertTrue(withheld.get() > 0, "the coordinator really withheld its messages");
        for (int i = 1; i < 3; i++) {
            PartyCluster.Member honest = cluster.member(i);
            EcdsaSigning.assertFulfilledAndSigned(r, answers.get(i), honest);
            assertTrue(honest.highestSignedAttempt() >= 1, honest.name + " signed in a later attempt");
            assertTrue(honest.node().signing().faults().isEmpty(), "silence names no one: "
                    + honest.node().signing().faults());
        }
        assertPairHoldsOneSetup(cluster.member(1), cluster.member(2));
    }
}
