package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.KeyConfirmation;
import io.keyfed.party.session.ShareCheck;
import io.keyfed.party.store.ShareState;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * The key-confirmation round (CONFIRM, kind 4) and complaints (COMPLAINT, kind 5) over the real transport,
 * with real tokens: a party that sent its CONFIRM keeps its share (pending) whatever a peer does, and answers only
 * as the ledger's final status says; a replayed confirmation is refused; a complaint before the CONFIRM makes a
 * party reject naming both the accused and the complainer.
 */
class KeyConfirmationTest {

    @Test
    void aWrongConfirmationLeavesTheSharesPendingUntilTheLedgerRejectsThenRetiresThem() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            AtomicInteger forged = new AtomicInteger();
            cheat.outbound().set((to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_CONFIRM) {
                    return plain;
                }
                forged.incrementAndGet();
                byte[] bad = plain.clone();
                bad[0] ^= 1;
                return bad;
            });
            // The honest parties' complaints are lost, so each one ends on the cheat's CONFIRM alone (a complaint
            // reaching the other before it finished round 2 would make it reject before its own CONFIRM).
            for (int i = 1; i < 3; i++) {
                cluster.member(i).outbound().set(
                        (to, kind, plain) -> kind == EnvelopeCodec.KIND_COMPLAINT ? null : plain);
            }
            long id = 401;
            KeyType type = KeyType.KEY_TYPE_EDDSA_ED25519;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            // Both honest parties sent their CONFIRM, so the wrong one ends their sessions without an answer of
            // their own: the shares stay pending, waiting for the ledger.
            for (int i = 1; i < 3; i++) {
                PartyCluster.Member honest = cluster.member(i);
                assertTrue(PartyCluster.await(() -> honest.node().sessions().activeSessions() == 0
                        && honest.node().store().contains(id), 60));
                StoredResult row = honest.node().store().find(id).orElseThrow();
                assertEquals(ShareState.PENDING, row.shareState());
                ShareCheck check = honest.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS);
                assertTrue(check.matches());
                assertEquals(ShareState.PENDING, check.state());
                assertFalse(calls.get(i).isDone(), "no answer of its own after its CONFIRM");
            }
            assertTrue(forged.get() > 0, "the cheat's forged CONFIRMs were sent");

            cluster.ledger.reject(id, "deadline passed");
            for (int i = 1; i < 3; i++) {
                PartyCluster.Member honest = cluster.member(i);
                PartyResponse r = calls.get(i).get(60, TimeUnit.SECONDS).getResponse();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus(), r.toString());
                assertEquals("rejected at the ledger: deadline passed", r.getRejectReason());
                assertEquals(0, r.getPublicKey().size());
                assertTrue(Secp256k1.verify(honest.token.identityPublicKey(), PartyResponseSignBytes.of(
                        PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, type, honest.address, r.getStatus(),
                        new byte[0], r.getRejectReason(), r.getSessionId().toByteArray()), r.getSignature().toByteArray()));
                StoredResult stored = honest.node().store().find(id).orElseThrow();
                assertEquals(r, stored.response());
                assertEquals(ShareState.RETIRED, stored.shareState(), "retired: marked, not deleted");
                assertTrue(stored.sealedShare().length > 0, "the retired share is kept");
                assertTrue(honest.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS).matches());
            }
            for (PartyCluster.Member m : cluster.members()) {
                assertTrue(PartyCluster.await(() -> m.node().sessions().activeSessions() == 0, 30));
            }
            cluster.members().forEach(m -> m.outbound().set(null));
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
            a.outbound().set((to, kind, plain) -> {
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
                assertTrue(e.getStatus().getDescription().contains("duplicate envelope (dkg kind 4)"),
                        e.getStatus().getDescription());
                assertTrue(e.getStatus().getDescription().contains("replay refused"), e.getStatus().getDescription());
                StoredResult waiting = c.node().store().find(id).orElseThrow();
                assertEquals(ShareState.PENDING, waiting.shareState(), "c stored its share before its CONFIRM");
                assertEquals(null, waiting.response(), "c answers nothing before every confirmation");
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
                    assertEquals(ShareState.ACTIVE, stored.shareState());
                    assertTrue(cluster.member(i).node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS)
                            .matches());
                }
            } finally {
                release.countDown();
                a.outbound().set(null);
                b.outbound().set(null);
            }
        }
    }

    @Test
    void aPartyMissingAConfirmationKeepsItsShareAndAttestsOnceTheLedgerFulfils() throws Exception {
        // The sessions end 20 s after they start; the request's own deadline is later.
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")
                .configure(c -> c.maxSessionLifetime = Duration.ofSeconds(20)).startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member cheat = cluster.member(2);
            long id = 405;
            KeyType type = KeyType.KEY_TYPE_EDDSA_ED25519;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 120_000);
            // the cheat runs every round honestly, then sends its CONFIRM to a and withholds it from b
            AtomicInteger withheld = new AtomicInteger();
            cheat.outbound().set((to, kind, plain) -> {
                if (kind == EnvelopeCodec.KIND_CONFIRM && to.equals(b.address)) {
                    withheld.incrementAndGet();
                    return null;
                }
                return plain;
            });
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            PartyResponse fromA = calls.get(0).get(60, TimeUnit.SECONDS).getResponse();
            PartyResponse fromCheat = calls.get(2).get(60, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fromA.getStatus(), fromA.toString());
            assertEquals(fromA.getPublicKey(), fromCheat.getPublicKey());
            assertEquals(1, withheld.get(), "the CONFIRM to b was withheld");
            StoredResult pending = b.node().store().find(id).orElseThrow();
            assertEquals(ShareState.PENDING, pending.shareState(), "b stored its share before its CONFIRM");

            // a and the cheat reach the threshold at the ledger; b's session ends at its deadline and reads it
            cluster.ledger.fulfill(id, fromA.getPublicKey().toByteArray());
            PartyResponse fromB = calls.get(1).get(90, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fromB.getStatus(), fromB.toString());
            assertEquals(fromA.getPublicKey(), fromB.getPublicKey());
            assertTrue(Secp256k1.verify(b.token.identityPublicKey(), PartyResponseSignBytes.of(PartyCluster.CHAIN_ID,
                    id, PartyCluster.KEYRING, type, b.address, fromB.getStatus(), fromB.getPublicKey().toByteArray(),
                    "", fromB.getSessionId().toByteArray()), fromB.getSignature().toByteArray()));
            StoredResult active = b.node().store().find(id).orElseThrow();
            assertEquals(ShareState.ACTIVE, active.shareState());
            assertEquals(fromB, active.response());
            ShareCheck check = b.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS);
            assertTrue(check.matches(), "b's share opens in its token and matches its verification share");
            assertEquals(ShareState.ACTIVE, check.state());
            assertEquals(1, b.node().sessions().sessionsStarted());
            assertEquals(1.0, b.metrics.registry().get(PartyMetrics.SESSIONS).tags("outcome", "pending").counter()
                    .count(), "b's session ended in the confirm phase, its share pending");
            assertEquals(1.0, b.metrics.registry().get(PartyMetrics.SEALED_SHARES).gauge().value(),
                    "the one sealed share in b's database");
            cheat.outbound().set(null);
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
        from.outbound().set((recipient, kind, plain) -> {
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
