package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.encoding.SignMessages;
import io.keyfed.api.encoding.SignSessionId;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.signing.SigningFaults;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * Signing faults with three parties over real gRPC, tokens and PostgreSQL (2-of-3): a party that sends a bad
 * signature share, and a coordinator that goes silent. Each test makes the faulty party the coordinator of attempt
 * 0 (so that it is in the first signer set), checks that its fault really happened, and that the honest parties
 * still sign, in a later attempt.
 */
class SigningFaultsTest {
    private PartyCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2", "party-3")
                .configure(c -> c.signingAttemptTimeout = java.time.Duration.ofSeconds(2)).startAll();
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    /** A sign request (registered at the ledger) whose attempt 0 is coordinated by {@code coordinator}. */
    private SignRequest coordinatedBy(PartyCluster.Member coordinator, long keyId, byte[] key) throws Exception {
        List<byte[]> messages = ClusterSigningTest.messages(KeyType.KEY_TYPE_EDDSA_ED25519, 2);
        for (long id = 100;; id++) {
            SignRequest r = ClusterSigningTest.signRequest(cluster, id, keyId, KeyType.KEY_TYPE_EDDSA_ED25519, key,
                    messages, System.currentTimeMillis() + 60_000);
            List<String> snapshot = r.getPartiesList().stream().map(KeyringParty::getAddress).toList();
            byte[] sid = SignSessionId.derive(PartyCluster.CHAIN_ID, id, keyId, r.getScheme(),
                    SignMessages.hash(r.getMessagesList().stream().map(ByteString::toByteArray).toList()), snapshot, 2);
            if (snapshot.get(SignSessionId.coordinator(sid, 0, 3)).equals(coordinator.address)) {
                return r;
            }
        }
    }


    @Test
    void aBadShareIsNamedByTheOtherPartiesAndTheRequestSignsWithoutItsSender() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 21, KeyType.KEY_TYPE_EDDSA_ED25519);
        PartyCluster.Member cheat = cluster.member(1);
        SignRequest r = coordinatedBy(cheat, 21, key);
        AtomicInteger badShares = new AtomicInteger();
        cheat.outbound().set((to, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_SIGN_SHARE) {
                byte[] bad = plain.clone();
                bad[bad.length - 32] ^= 1; // the low byte of the last z (little-endian): still canonical, now wrong
                badShares.incrementAndGet();
                return bad;
            }
            return kind == EnvelopeCodec.KIND_SIGN_RESULT ? null : plain; // and it keeps its RESULT to itself
        });
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertTrue(badShares.get() > 0, "the cheat really sent a bad share");
        for (int i : new int[] { 0, 2 }) {
            PartyCluster.Member honest = cluster.member(i);
            ClusterSigningTest.assertFulfilledAndSigned(r, answers.get(i), honest);
            List<SigningFaults.Fault> named = honest.node().signing().faults();
            assertTrue(named.stream().anyMatch(f -> f.culprit().equals(cheat.address)
                    && f.check().equals("invalid_share") && f.signRequestId() == r.getId()),
                    honest.name + " names the cheat: " + named);
            assertTrue(named.stream().allMatch(f -> f.culprit().equals(cheat.address)),
                    honest.name + " names no one else: " + named);
            assertTrue(honest.highestSignedAttempt() >= 1, honest.name + " signed in a later attempt");
            assertEquals(1.0, honest.metrics.registry().get(PartyMetrics.SIGN_FAULTS)
                    .tags("check", "invalid_share", "culprit", cheat.address).counter().count());
        }
    }

    @Test
    void aSilentCoordinatorIsReplacedByTheNextAttempt() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 22, KeyType.KEY_TYPE_EDDSA_ED25519);
        PartyCluster.Member silent = cluster.member(0);
        SignRequest r = coordinatedBy(silent, 22, key);
        AtomicInteger withheld = silent.outbound().withhold(EnvelopeCodec.Protocol.FROST);
        // The silent party runs its session (it is asked, as its connector would) but nothing it sends arrives.
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members());
        assertTrue(withheld.get() > 0, "the coordinator really withheld its messages");
        for (int i = 1; i < 3; i++) {
            PartyCluster.Member honest = cluster.member(i);
            ClusterSigningTest.assertFulfilledAndSigned(r, answers.get(i), honest);
            assertTrue(honest.highestSignedAttempt() >= 1, honest.name + " signed in a later attempt");
            assertTrue(honest.node().signing().faults().isEmpty(), "silence names no one: "
                    + honest.node().signing().faults());
        }
    }
}
