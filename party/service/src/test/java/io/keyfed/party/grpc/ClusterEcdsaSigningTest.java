package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.signing.SignSpec;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * Three parties over real gRPC sockets, real tokens and real PostgreSQL make an ecdsa or bitcoin key with the DKG
 * (unchanged: the same secp256k1 DKG as before DKLs23), then sign 32-byte digests with it (DKLs23, 2-of-3), their
 * pairwise setups run by the parties' pairing services on first use.
 */
class ClusterEcdsaSigningTest {
    private PartyCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2", "party-3")
                .configure(c -> c.signingAttemptTimeout = java.time.Duration.ofSeconds(5)).startAll();
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = { "KEY_TYPE_ECDSA_SECP256K1", "KEY_TYPE_BITCOIN_SECP256K1" })
    void everyPartyAnswersWithLowSEcdsaSignaturesUnderTheKey(KeyType type) throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 31, type);
        assertEquals(33, key.length, "the key is a compressed secp256k1 point");
        SignRequest one = EcdsaSigning.request(cluster, 1, 31, type, key, EcdsaSigning.digests("one", 1));
        List<PartySignResponse> answers = ClusterSigningTest.signOn(one, cluster.members());
        for (int i = 0; i < 3; i++) {
            EcdsaSigning.assertFulfilledAndSigned(one, answers.get(i), cluster.member(i));
        }
        assertTrue(EcdsaSigning.pairSetups(cluster, "fresh") >= 2, "the signers ran a pairwise setup, both sides");

        SignRequest two = EcdsaSigning.request(cluster, 2, 31, type, key, EcdsaSigning.digests("two", 2));
        List<PartySignResponse> twice = ClusterSigningTest.signOn(two, cluster.members());
        for (int i = 0; i < 3; i++) {
            EcdsaSigning.assertFulfilledAndSigned(two, twice.get(i), cluster.member(i));
        }
        assertTrue(EcdsaSigning.pairSetups(cluster, "fresh") <= 6, "a pair's setup is run once (3 pairs, 2 sides): "
                + EcdsaSigning.pairSetups(cluster, "fresh"));
        assertEquals(0.0, EcdsaSigning.pairSetups(cluster, "failed"));
        assertEquals(2.0, cluster.member(0).metrics.registry().get(PartyMetrics.SESSIONS)
                .tags("protocol", PartyMetrics.DKLS, "outcome", "fulfilled").counter().count(), "counted as DKLs23");
        // Asked again: the stored answer, not a second session.
        assertEquals(twice.get(0), cluster.member(0).stub().sign(ClusterSigningTest.call(two)).getResponse());
    }

    @Test
    void theMostDigestsThatFitSignInOneRequestAndOneMoreIsRejectedAsTooLarge() throws Exception {
        int fit = SignSpec.maxEcdsaDigests();
        byte[] key = ClusterSigningTest.makeKey(cluster, 35, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        SignRequest most = EcdsaSigning.request(cluster, 6, 35, KeyType.KEY_TYPE_ECDSA_SECP256K1, key,
                EcdsaSigning.digests("most", fit));
        List<PartySignResponse> answers = ClusterSigningTest.signOn(most, cluster.members());
        for (int i = 0; i < 3; i++) {
            EcdsaSigning.assertFulfilledAndSigned(most, answers.get(i), cluster.member(i));
        }
        SignRequest tooMany = EcdsaSigning.request(cluster, 7, 35, KeyType.KEY_TYPE_ECDSA_SECP256K1, key,
                EcdsaSigning.digests("too many", fit + 1));
        PartySignResponse refused = cluster.member(0).stub().sign(ClusterSigningTest.call(tooMany)).getResponse();
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED, refused.getStatus());
        assertTrue(refused.getRejectReason().contains("do not fit"), refused.getRejectReason());
        assertTrue(cluster.member(0).node().store().findSignAnswer(7).isPresent(), "the refusal is stored");
    }

    @Test
    void twoOfThreeSignWhileOnePartyIsStopped() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 32, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        cluster.member(2).stop();
        SignRequest r = EcdsaSigning.request(cluster, 3, 32, KeyType.KEY_TYPE_ECDSA_SECP256K1, key,
                EcdsaSigning.digests("stopped", 1));
        List<PartySignResponse> answers = ClusterSigningTest.signOn(r, cluster.members().subList(0, 2));
        EcdsaSigning.assertFulfilledAndSigned(r, answers.get(0), cluster.member(0));
        EcdsaSigning.assertFulfilledAndSigned(r, answers.get(1), cluster.member(1));
    }

    @Test
    void aDigestTheLedgerDoesNotHoldIsRefusedAndNothingIsSigned() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 33, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        SignRequest r = EcdsaSigning.request(cluster, 4, 33, KeyType.KEY_TYPE_ECDSA_SECP256K1, key,
                EcdsaSigning.digests("held", 1));
        SignRequest forged = r.toBuilder()
                .setMessages(0, ByteString.copyFrom(EcdsaSigning.digests("pay the attacker", 1).get(0))).build();
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        cluster.member(0).outbound().set((to, kind, plain) -> {
            if (EnvelopeCodec.protocolOf(kind) == EnvelopeCodec.Protocol.DKLS) {
                sent.incrementAndGet();
            }
            return plain;
        });
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> cluster.member(0).stub().sign(ClusterSigningTest.call(forged)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("messages"), e.getStatus().getDescription());
        assertTrue(cluster.member(0).node().store().findSignAnswer(4).isEmpty(), "no answer stored");
        assertEquals(0, cluster.member(0).node().signing().activeSessions(), "no session started");
        assertEquals(0, sent.get(), "no DKLs23 message sent");
    }

    @Test
    void aDigestThatIsNotThirtyTwoBytesIsRefused() throws Exception {
        byte[] key = ClusterSigningTest.makeKey(cluster, 34, KeyType.KEY_TYPE_ECDSA_SECP256K1);
        SignRequest r = EcdsaSigning.request(cluster, 5, 34, KeyType.KEY_TYPE_ECDSA_SECP256K1, key,
                List.of(new byte[31]));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> cluster.member(0).stub().sign(ClusterSigningTest.call(r)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("32-byte digests"), e.getStatus().getDescription());
        assertTrue(cluster.member(0).node().store().findSignAnswer(5).isEmpty(), "no answer stored");
    }
}
