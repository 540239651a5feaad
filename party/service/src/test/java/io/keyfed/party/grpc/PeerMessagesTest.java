package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;

/** Early messages are held and used; misbehaving peers' envelopes are refused with clear statuses. */
class PeerMessagesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void roundOneMessagesArrivingBeforeKeygenAreHeldAndUsed() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member late = cluster.member(2);
            KeygenRequest call = cluster.request(51, KeyType.KEY_TYPE_EDDSA_ED25519, 2,
                    System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            calls.add(cluster.member(0).futureStub().keygen(call));
            calls.add(cluster.member(1).futureStub().keygen(call));
            // from each of the two peers: its ephemeral key (kind 6) and its round-1 package (kind 1)
            assertTrue(PartyCluster.await(() -> late.node().held().messageCount() == 4, 30),
                    "both peers' ephemeral keys and round-1 messages held by the party whose Keygen has not come");
            assertEquals(1, late.node().held().requestCount());
            assertEquals(0, late.node().sessions().activeSessions());

            calls.add(late.futureStub().keygen(call));
            byte[] key = null;
            for (ListenableFuture<KeygenResponse> f : calls) {
                PartyResponse r = f.get(60, TimeUnit.SECONDS).getResponse();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
                if (key == null) {
                    key = r.getPublicKey().toByteArray();
                }
                assertArrayEquals(key, r.getPublicKey().toByteArray());
            }
            assertEquals(0, late.node().held().messageCount());
        }
    }

    @Test
    void heldMessagesAreBoundedPerPeerAndOnlyConfiguredPeersAreHeld() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.config.maxHeldPerPeer = 2;
            m.start();
            String flooder = cluster.member(1).address;
            String other = cluster.member(2).address;
            m.stub().deliver(junk(100, flooder, m.address));
            m.stub().deliver(junk(101, flooder, m.address));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> m.stub().deliver(junk(102, flooder, m.address)));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("max-held-per-peer"), e.getMessage());
            assertTrue(e.getStatus().getDescription().contains(flooder), e.getMessage());
            // The flood fills only the flooder's share: another peer's messages are still held.
            m.stub().deliver(junk(100, other, m.address));
            m.stub().deliver(junk(103, other, m.address));
            assertEquals(2, m.node().held().messageCount(flooder));
            assertEquals(2, m.node().held().messageCount(other));
            // A sender that is not a configured peer: refused, never held.
            String stranger = Addresses.account("zen", Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(77)));
            e = assertThrows(StatusRuntimeException.class, () -> m.stub().deliver(junk(104, stranger, m.address)));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("not a configured peer"), e.getMessage());
            // Nor the party itself.
            e = assertThrows(StatusRuntimeException.class, () -> m.stub().deliver(junk(104, m.address, m.address)));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertEquals(0, m.node().held().messageCount(stranger));
            assertEquals(4, m.node().held().messageCount());
            // Addressed to someone else: refused outright, never held.
            e = assertThrows(StatusRuntimeException.class, () -> m.stub().deliver(junk(103, flooder, flooder)));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            // Held messages never create a session.
            assertEquals(0, m.node().sessions().sessionsStarted());
        }
    }

    @Test
    void aConfiguredPeerOutsideTheSnapshotIsNotHeardBySession() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            PartyCluster.Member outsider = cluster.member(2);
            m.start(); // party-2 never starts: the session stays in RESOLVING
            long id = 110;
            KeygenRequest call = cluster.unregistered(id, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000, List.of(cluster.member(0), cluster.member(1)));
            cluster.ledger.register(call.getRequest());
            m.stub().deliver(junk(id, outsider.address, m.address));
            m.stub().deliver(junk(id, cluster.member(1).address, m.address));
            assertEquals(1, m.node().held().messageCount(outsider.address));

            ListenableFuture<KeygenResponse> running = m.futureStub().keygen(call);
            assertTrue(PartyCluster.await(() -> m.node().sessions().phase(id).equals(Optional.of("RESOLVING")), 30));
            // The outsider's held message was dropped at the start, the participant's taken by the session.
            assertEquals(1, m.node().sessions().heldMessagesDropped());
            assertEquals(0, m.node().held().messageCount());
            // While the session runs, the outsider is refused.
            expect(m, junk(id, outsider.address, m.address), Status.Code.PERMISSION_DENIED, "not a participant");
            running.cancel(true);
        }
    }

    private static PeerEnvelope junk(long requestId, String sender, String recipient) {
        return PeerEnvelope.newBuilder().setRequestId(requestId).setSessionId(ByteString.copyFrom(random(32)))
                .setSenderAddr(sender).setRecipientAddr(recipient).setKind(1)
                .setPayload(ByteString.copyFrom(random(100))).setAuth(ByteString.copyFrom(random(32))).build();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void misbehavingPeersAreRefusedAndAnAuthenticatedBadMessageNamesTheCulprit() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            long id = 61;
            KeyType type = KeyType.KEY_TYPE_BITCOIN_SECP256K1;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);
            ListenableFuture<KeygenResponse> victim = c.futureStub().keygen(call);
            assertTrue(PartyCluster.await(() -> c.node().sessions().phase(id).equals(Optional.of("ROUND1")), 30));

            // The test plays party a (and b) with their own tokens.
            PartyCluster.Speaker asA = PartyCluster.speakAs(a, c, call);
            PartyCluster.Speaker asB = PartyCluster.speakAs(b, c, call);
            SessionSpec specA = asA.spec;
            byte[] sid = asA.sessionId;
            byte[] round1 = SignedRound1.fresh(a.token, specA);
            PeerEnvelope good = asA.seal(1, round1);

            byte[] badTag = good.getAuth().toByteArray();
            badTag[0] ^= 1;
            expect(c, good.toBuilder().setAuth(ByteString.copyFrom(badTag)).build(), Status.Code.UNAUTHENTICATED,
                    "failed authentication");
            byte[] flipped = round1.clone();
            flipped[flipped.length - 1] ^= 1;
            expect(c, good.toBuilder().setPayload(ByteString.copyFrom(flipped)).build(), Status.Code.UNAUTHENTICATED,
                    "failed authentication");
            String stranger = Addresses.account("zen", Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(99)));
            expect(c, good.toBuilder().setSenderAddr(stranger).build(), Status.Code.PERMISSION_DENIED,
                    "not a configured peer");
            expect(c, EnvelopeCodec.seal(asA.keys(), id, random(32), a.address, c.address, 1, round1),
                    Status.Code.INVALID_ARGUMENT, "session id");
            expect(c, good.toBuilder().setRecipientAddr(b.address).build(), Status.Code.INVALID_ARGUMENT,
                    "not to this party");
            // Keys of the b→c direction do not authenticate a's messages.
            expect(c, EnvelopeCodec.seal(asB.keys(), id, sid, a.address, c.address, 1, round1), Status.Code.UNAUTHENTICATED,
                    "failed authentication");

            c.stub().deliver(good);
            expect(c, good, Status.Code.ALREADY_EXISTS, "replay");
            assertTrue(c.node().store().find(id).isEmpty(), "nothing stored for refused envelopes");

            // An authenticated garbage payload from b aborts the run and names b.
            PeerEnvelope garbage = EnvelopeCodec.seal(asB.keys(), id, sid, b.address, c.address, 1, random(80));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.stub().deliver(garbage));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("dkg aborted: party " + b.address),
                    e.getStatus().getDescription());

            PartyResponse r = victim.get(30, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
            assertTrue(r.getRejectReason().startsWith("dkg aborted: party " + b.address + " sent a malformed message"),
                    r.getRejectReason());
            assertEquals(0, r.getPublicKey().size());
            assertTrue(Secp256k1.verify(c.token.identityPublicKey(), PartyResponseSignBytes.of(PartyCluster.CHAIN_ID, id,
                    PartyCluster.KEYRING, type, c.address, r.getStatus(), new byte[0], r.getRejectReason(),
                    r.getSessionId().toByteArray()), r.getSignature().toByteArray()));
            StoredResult stored = c.node().store().find(id).orElseThrow();
            assertEquals(r, stored.response());
            assertEquals(0, stored.sealedShare().length);
            assertEquals(0, c.node().sessions().activeSessions());
            assertEquals(r, c.stub().keygen(call).getResponse());

            // After the end: messages for the request are refused clearly.
            expect(c, EnvelopeCodec.seal(asA.keys(), id, sid, a.address, c.address, 2, random(10)),
                    Status.Code.FAILED_PRECONDITION, "finished");
            // Honest parties that never got a Keygen hold c's messages and have stored nothing.
            assertEquals(List.of(), a.database().requestIds());
            assertEquals(List.of(), b.database().requestIds());
            asA.destroy();
            asB.destroy();
        }
    }

    @Test
    void aPartySendingAnInvalidShareIsNamedByItsVictims() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            cheat.outbound().set((to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_ROUND2) {
                    return plain;
                }
                byte[] bad = plain.clone();
                bad[bad.length - 1] ^= 1; // last byte of the big-endian secp256k1 share
                return bad;
            });
            long id = 71;
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            for (int i = 1; i < 3; i++) {
                PartyCluster.Member victim = cluster.member(i);
                PartyResponse r = calls.get(i).get(60, TimeUnit.SECONDS).getResponse();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus());
                // Either it checked the share itself, or the other victim's complaint (with its evidence) arrived first.
                String other = cluster.member(3 - i).address;
                String direct = "dkg aborted: party " + cheat.address + " sent an invalid share (invalid_share)";
                assertTrue(r.getRejectReason().equals(direct) || r.getRejectReason().equals("dkg aborted: party "
                        + cheat.address + " sent an invalid share (invalid_share) to party " + other
                        + ", shown by the evidence in its complaint"), r.getRejectReason());
                assertTrue(Secp256k1.verify(victim.token.identityPublicKey(), PartyResponseSignBytes.of(
                        PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                        victim.address, r.getStatus(), new byte[0], r.getRejectReason(), r.getSessionId().toByteArray()),
                        r.getSignature().toByteArray()));
                assertEquals(r, victim.node().store().find(id).orElseThrow().response());
            }
            // The cheat itself saw only honest shares, but its victims never confirm and complain with evidence. A complaint
            // before its own CONFIRM makes it reject; after it, its share is pending until the ledger, which the
            // victims' REJECTED answers have made reject the request, says REJECTED (the share then retired).
            String victimsReason = calls.get(1).get().getResponse().getRejectReason();
            cluster.ledger.reject(id, victimsReason);
            PartyResponse c = calls.get(0).get(60, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, c.getStatus(), c.toString());
            io.keyfed.party.store.StoredResult cheats = cheat.node().store().find(id).orElseThrow();
            if (cheats.hasShare()) {
                assertEquals("rejected at the ledger: " + victimsReason, c.getRejectReason());
                assertEquals(io.keyfed.party.store.ShareState.RETIRED, cheats.shareState());
            } else {
                boolean namesItself = false;
                for (int i = 1; i < 3; i++) {
                    namesItself |= c.getRejectReason().equals("dkg aborted: party " + cheat.address
                            + " sent an invalid share (invalid_share) to party " + cluster.member(i).address
                            + ", shown by the evidence in its complaint");
                }
                assertTrue(namesItself, "judging the evidence, even the cheat's own service names it: "
                        + c.getRejectReason());
            }
        }
    }

    private static void expect(PartyCluster.Member m, PeerEnvelope e, Status.Code code, String fragment) {
        StatusRuntimeException ex = assertThrows(StatusRuntimeException.class, () -> m.stub().deliver(e));
        assertEquals(code, ex.getStatus().getCode(), ex.getMessage());
        assertTrue(ex.getStatus().getDescription().contains(fragment), ex.getStatus().getDescription());
    }
}
