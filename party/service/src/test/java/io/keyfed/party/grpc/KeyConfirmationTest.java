package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.KeyConfirmation;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The key-confirmation round (CONFIRM, kind 4) and complaints (COMPLAINT, kind 5) over the real transport,
 * with real tokens: a wrong digest aborts naming its sender, a replayed confirmation is refused, and a
 * complaint makes a party reject naming both the accused and the complainer.
 */
class KeyConfirmationTest {

    @Test
    void aConfirmationWithAWrongDigestAbortsNamingItsSender() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            cheat.node().sessions().outboundFilterForTests((to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_CONFIRM) {
                    return plain;
                }
                byte[] bad = plain.clone();
                bad[0] ^= 1;
                return bad;
            });
            long id = 401;
            KeyType type = KeyType.KEY_TYPE_EDDSA_ED25519;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            for (int i = 1; i < 3; i++) {
                PartyCluster.Member honest = cluster.member(i);
                PartyResponse r = calls.get(i).get(60, TimeUnit.SECONDS).getResponse();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus(), r.toString());
                // Seen directly, or first through the other honest party's complaint.
                String what = "party " + cheat.address
                        + " confirmed a different group key or verification shares (confirm_mismatch)";
                String other = cluster.member(3 - i).address;
                assertTrue(r.getRejectReason().equals("dkg aborted: " + what)
                        || r.getRejectReason().equals("dkg aborted: party " + other + " reports " + what),
                        r.getRejectReason());
                assertEquals(0, r.getPublicKey().size());
                assertTrue(Secp256k1.verify(honest.token.identityPublicKey(), PartyResponseSignBytes.of(
                        PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, type, honest.address, r.getStatus(),
                        new byte[0], r.getRejectReason(), r.getSessionId().toByteArray()), r.getSignature().toByteArray()));
                StoredResult stored = honest.node().store().find(id).orElseThrow();
                assertEquals(r, stored.response());
                assertEquals(0, stored.sealedShare().length, "no share stored after a mismatching confirmation");
            }
            // The cheat got the honest parties' (matching) confirmations, possibly before their complaints: it may
            // answer FULFILLED or REJECTED, but alone it is one answer, below the threshold of 2.
            PartyResponse c = calls.get(0).get(60, TimeUnit.SECONDS).getResponse();
            System.out.println("[key-confirmation wrong digest] cheat answered " + c.getStatus() + " "
                    + c.getRejectReason());
            for (PartyCluster.Member m : cluster.members()) {
                assertTrue(PartyCluster.await(() -> m.node().sessions().activeSessions() == 0, 30));
            }
            cheat.node().sessions().outboundFilterForTests(null);
        }
    }

    @Test
    void aReplayedConfirmationIsRefusedAndTheRunStillCompletes() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            long id = 402;
            KeyType type = KeyType.KEY_TYPE_ECDSA_SECP256K1;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
            Map<String, byte[]> aConfirms = new ConcurrentHashMap<>();
            a.node().sessions().outboundFilterForTests((to, kind, plain) -> {
                if (kind == EnvelopeCodec.KIND_CONFIRM) {
                    aConfirms.put(to, plain.clone());
                }
                return plain;
            });
            // b's confirmation to c waits until the test has replayed a's: c stays in phase CONFIRM meanwhile.
            CountDownLatch release = new CountDownLatch(1);
            holdConfirmations(b, c, release);
            try {
                List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
                for (PartyCluster.Member m : cluster.members()) {
                    calls.add(m.futureStub().keygen(call));
                }
                assertTrue(PartyCluster.await(() -> c.node().sessions().phase(id).equals(Optional.of("CONFIRM"))
                        && aConfirms.containsKey(c.address), 60), "c waits for confirmations");

                PartyCluster.Speaker asA = PartyCluster.speakAs(a, c, call);
                PeerEnvelope confirm = asA.seal(EnvelopeCodec.KIND_CONFIRM, aConfirms.get(c.address));
                // The first copy is either the first confirmation c sees from a, or already a replay of a's own.
                try {
                    c.stub().deliver(confirm);
                } catch (StatusRuntimeException e) {
                    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode(), e.getMessage());
                }
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.stub().deliver(confirm));
                assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode(), e.getMessage());
                assertTrue(e.getStatus().getDescription().contains("duplicate envelope kind 4"),
                        e.getStatus().getDescription());
                assertTrue(e.getStatus().getDescription().contains("replay refused"), e.getStatus().getDescription());
                assertTrue(c.node().store().find(id).isEmpty(), "c answers nothing before every confirmation");
                assertEquals(Optional.of("CONFIRM"), c.node().sessions().phase(id));
                asA.destroy();
                release.countDown();

                byte[] key = null;
                for (int i = 0; i < 3; i++) {
                    PartyResponse r = calls.get(i).get(60, TimeUnit.SECONDS).getResponse();
                    assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.toString());
                    if (key == null) {
                        key = r.getPublicKey().toByteArray();
                    }
                    assertArrayEquals(key, r.getPublicKey().toByteArray(), "every party has the same key");
                    StoredResult stored = cluster.member(i).node().store().find(id).orElseThrow();
                    assertTrue(stored.sealedShare().length > 0);
                    assertTrue(cluster.member(i).node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS)
                            .matches());
                }
            } finally {
                release.countDown();
                a.node().sessions().outboundFilterForTests(null);
                b.node().sessions().outboundFilterForTests(null);
            }
        }
    }

    @Test
    void aPartyMissingAConfirmationEndsAtTheDeadlineWithNothingStored() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            long id = 405;
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_EDDSA_ED25519, 2,
                    System.currentTimeMillis() + 10_000);
            // b's confirmation to c is withheld until c has given up.
            CountDownLatch release = new CountDownLatch(1);
            holdConfirmations(b, c, release);
            try {
                List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
                for (PartyCluster.Member m : cluster.members()) {
                    calls.add(m.futureStub().keygen(call));
                }
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> calls.get(2).get(60, TimeUnit.SECONDS));
                Status status = Status.fromThrowable(e.getCause());
                assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode(), status.toString());
                assertTrue(status.getDescription().contains("in phase CONFIRM, waiting for ")
                        && status.getDescription().contains(b.address), status.getDescription());
                assertTrue(c.node().store().find(id).isEmpty(), "nothing stored without every confirmation");
                assertTrue(PartyCluster.await(() -> c.node().sessions().activeSessions() == 0, 30), "state freed");
            } finally {
                release.countDown();
                b.node().sessions().outboundFilterForTests(null);
            }
        }
    }

    @Test
    void aComplaintMakesAPartyRejectNamingTheAccusedAndTheComplainer() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            KeyType type = KeyType.KEY_TYPE_BITCOIN_SECP256K1;
            // 403: a (possibly lying) complaint from a accusing b. 404: a complaint that does not decode.
            for (long id : new long[] { 403, 404 }) {
                KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
                ListenableFuture<KeygenResponse> victim = c.futureStub().keygen(call);
                assertTrue(PartyCluster.await(() -> c.node().sessions().phase(id).equals(Optional.of("ROUND1")), 30));
                PartyCluster.Speaker asA = PartyCluster.speakAs(a, c, call);
                byte[] payload = id == 403 ? KeyConfirmation.encodeComplaint(asA.spec.identifierOf(b.address),
                        "invalid_share") : new byte[] { 1, 0, 9, 2, 'x', 'y' };
                PeerEnvelope complaint = asA.seal(EnvelopeCodec.KIND_COMPLAINT, payload);
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.stub().deliver(complaint));
                assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
                PartyResponse r = victim.get(30, TimeUnit.SECONDS).getResponse();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
                assertEquals(r.getRejectReason(), e.getStatus().getDescription());
                if (id == 403) {
                    // Without evidence, a complaint names no one: b is not blamed on a's word.
                    assertEquals("dkg aborted: party " + a.address + " reports party " + b.address
                            + " sent an invalid share (invalid_share), without evidence (no single party to blame)",
                            r.getRejectReason());
                } else {
                    assertTrue(r.getRejectReason().startsWith("dkg aborted: party " + a.address
                            + " sent a malformed message: complaint does not decode"), r.getRejectReason());
                }
                assertTrue(Secp256k1.verify(c.token.identityPublicKey(), PartyResponseSignBytes.of(
                        PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, type, c.address, r.getStatus(), new byte[0],
                        r.getRejectReason(), r.getSessionId().toByteArray()), r.getSignature().toByteArray()));
                assertEquals(0, c.node().store().find(id).orElseThrow().sealedShare().length);
                assertEquals(0, c.node().sessions().activeSessions());
                asA.destroy();
            }
        }
    }

    /** Makes {@code from} hold its CONFIRM to {@code to} until {@code release} opens (at most 60 s). */
    private static void holdConfirmations(PartyCluster.Member from, PartyCluster.Member to, CountDownLatch release) {
        from.node().sessions().outboundFilterForTests((recipient, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_CONFIRM && recipient.equals(to.address)) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return plain;
        });
    }
}
