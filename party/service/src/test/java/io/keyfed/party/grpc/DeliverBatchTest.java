package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.DeliverBatchAck;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.PeerEnvelopeBatch;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.transport.PeerClients;

/** Party.DeliverBatch: envelopes judged one by one, bounds on the batch, and the batching client under load. */
class DeliverBatchTest {

    @Test
    void eachEnvelopeOfABatchIsJudgedOnItsOwnAndBadBatchesChangeNothing() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member c = cluster.member(2);
            long id = 81;
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000);
            ListenableFuture<KeygenResponse> running = c.futureStub().keygen(call);
            assertTrue(PartyCluster.await(() -> c.node().sessions().phase(id).equals(Optional.of("ROUND1")), 30));

            // The test plays party a with its own token.
            PartyCluster.Speaker asA = PartyCluster.speakAs(a, c, call);
            SessionSpec specA = asA.spec;
            byte[] round1 = SignedRound1.fresh(a.token, specA);
            PeerEnvelope good = asA.seal(1, round1);
            byte[] flipped = round1.clone();
            flipped[flipped.length - 1] ^= 1;
            PeerEnvelope tampered = good.toBuilder().setPayload(ByteString.copyFrom(flipped)).build();

            // Empty and oversized batches are refused as a whole, naming the problem; nothing is taken.
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> c.stub().deliverBatch(PeerEnvelopeBatch.getDefaultInstance()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("empty envelope batch"), e.getMessage());
            List<PeerEnvelope> many = new ArrayList<>(Collections.nCopies(PeerClients.MAX_BATCH_ENVELOPES, good));
            many.add(good);
            e = assertThrows(StatusRuntimeException.class,
                    () -> c.stub().deliverBatch(PeerEnvelopeBatch.newBuilder().addAllEnvelopes(many).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("257 envelopes exceeds the limit of 256"),
                    e.getMessage());

            // One good, one tampered: the good one is accepted, the tampered one refused as Deliver refuses it.
            DeliverBatchAck ack = c.stub().deliverBatch(PeerEnvelopeBatch.newBuilder().addEnvelopes(good)
                    .addEnvelopes(tampered).build());
            assertEquals(2, ack.getResultsCount());
            assertEquals(Status.Code.OK.value(), ack.getResults(0).getCode(), ack.toString());
            assertEquals("", ack.getResults(0).getMessage());
            assertEquals(Status.Code.UNAUTHENTICATED.value(), ack.getResults(1).getCode(), ack.toString());
            assertTrue(ack.getResults(1).getMessage().contains("failed authentication"), ack.toString());
            // Accepted indeed: the same envelope again is a replay, in a batch as in Deliver.
            e = assertThrows(StatusRuntimeException.class, () -> c.stub().deliver(good));
            assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("replay"), e.getMessage());
            ack = c.stub().deliverBatch(PeerEnvelopeBatch.newBuilder().addEnvelopes(good).build());
            assertEquals(Status.Code.ALREADY_EXISTS.value(), ack.getResults(0).getCode(), ack.toString());
            assertTrue(c.node().store().find(id).isEmpty(), "nothing stored");
            assertTrue(!running.isDone(), "the session still runs");
            asA.destroy();
        }
    }

    @Test
    void sixteenConcurrentKeygensAllSucceedOverTheBatchingClient() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            int keys = 16;
            List<List<ListenableFuture<KeygenResponse>>> calls = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                KeyType type = k % 2 == 0 ? KeyType.KEY_TYPE_ECDSA_SECP256K1 : KeyType.KEY_TYPE_EDDSA_ED25519;
                KeygenRequest call = cluster.request(200 + k, type, 2, System.currentTimeMillis() + 120_000);
                List<ListenableFuture<KeygenResponse>> perKey = new ArrayList<>();
                for (PartyCluster.Member m : cluster.members()) {
                    perKey.add(m.futureStub().keygen(call));
                }
                calls.add(perKey);
            }
            for (int k = 0; k < keys; k++) {
                KeyType type = k % 2 == 0 ? KeyType.KEY_TYPE_ECDSA_SECP256K1 : KeyType.KEY_TYPE_EDDSA_ED25519;
                byte[] groupKey = null;
                for (int i = 0; i < 3; i++) {
                    PartyCluster.Member m = cluster.member(i);
                    PartyResponse r = calls.get(k).get(i).get(120, TimeUnit.SECONDS).getResponse();
                    assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
                    if (groupKey == null) {
                        groupKey = r.getPublicKey().toByteArray();
                    }
                    assertArrayEquals(groupKey, r.getPublicKey().toByteArray(), "key " + k);
                    assertTrue(Secp256k1.verify(m.token.identityPublicKey(), PartyResponseSignBytes.of(
                            PartyCluster.CHAIN_ID, 200 + k, PartyCluster.KEYRING, type, m.address, r.getStatus(),
                            groupKey, "", r.getSessionId().toByteArray()), r.getSignature().toByteArray()));
                }
            }
            for (PartyCluster.Member m : cluster.members()) {
                PeerClients clients = m.node().clients();
                // Every envelope went in DeliverBatch calls (no unary fallback between current parties),
                // never more calls than envelopes. How many shared a call depends on timing: not asserted.
                assertEquals(0, clients.unarySent(), m.name);
                assertTrue(clients.envelopesSent() >= (long) keys * 2 * 4, m.name + ": " + clients.envelopesSent());
                assertTrue(clients.batchesSent() <= clients.envelopesSent(), m.name);
                System.out.printf("%s: %d envelopes in %d DeliverBatch calls%n", m.name, clients.envelopesSent(),
                        clients.batchesSent());
            }
        }
    }
}
