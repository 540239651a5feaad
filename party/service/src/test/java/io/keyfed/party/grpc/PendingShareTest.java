package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.party.admin.AdminReply;
import io.keyfed.party.admin.AdminService;
import io.keyfed.party.session.KeyConfirmation;
import io.keyfed.party.session.PendingShare;
import io.keyfed.party.store.ShareState;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * A share stored pending before its CONFIRM over the real transport, real tokens and real PostgreSQL: it survives a
 * crash in the confirm phase and a peer's complaint, and only the ledger's own status (read by the party) activates
 * it, or leaves it unattested when the ledger's key differs.
 */
class PendingShareTest {

    @Test
    void aCrashInTheConfirmPhaseKeepsTheShareAndTheRestartedPartyAttestsFromTheLedger() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member c = cluster.member(2);
            long id = 601;
            KeyType type = KeyType.KEY_TYPE_ECDSA_SECP256K1;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 120_000);
            // no malice: the CONFIRMs to b are lost, and b stops before it could answer
            AtomicInteger lost = new AtomicInteger();
            for (PartyCluster.Member m : List.of(a, c)) {
                m.outbound().set(withholdConfirmsTo(b, lost));
            }
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            PartyResponse fromA = calls.get(0).get(60, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fromA.getStatus(), fromA.toString());
            assertEquals(fromA.getPublicKey(), calls.get(2).get(60, TimeUnit.SECONDS).getResponse().getPublicKey());
            assertEquals(2, lost.get(), "both CONFIRMs to b were lost");
            assertEquals(Optional.of("CONFIRM"), b.node().sessions().phase(id));
            assertEquals(ShareState.PENDING, b.node().store().find(id).orElseThrow().shareState());

            b.stop();
            assertThrows(ExecutionException.class, () -> calls.get(1).get(30, TimeUnit.SECONDS));
            cluster.ledger.fulfill(id, fromA.getPublicKey().toByteArray());
            b.start();
            assertTrue(PartyCluster.await(() -> b.node().store().find(id).orElseThrow().shareState()
                    == ShareState.ACTIVE, 60), "the restarted party reads the ledger and activates its share");
            PartyResponse retried = b.stub().keygen(call).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, retried.getStatus(), retried.toString());
            assertEquals(fromA.getPublicKey(), retried.getPublicKey());
            assertEquals(0, b.node().sessions().sessionsStarted(), "no second DKG");
            assertTrue(b.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS).matches());
            assertTrue(b.node().pendingShares().isEmpty());
        }
    }

    @Test
    void aComplaintAfterConfirmDoesNotRetireTheShare() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member cheat = cluster.member(2);
            long id = 602;
            KeyType type = KeyType.KEY_TYPE_EDDSA_ED25519;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 120_000);
            Started run = withheldFromB(cluster, call, a, b, cheat);

            // the cheat now complains to b, falsely accusing a: b's session ends, its share stays pending
            PartyCluster.Speaker asCheat = PartyCluster.speakAs(cheat, b, call);
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> b.stub().deliver(asCheat.seal(
                    EnvelopeCodec.KIND_COMPLAINT, KeyConfirmation.encodeComplaint(
                            asCheat.spec.identifierOf(a.address), "invalid_share"))));
            asCheat.destroy();
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "the complaint was delivered");
            assertTrue(PartyCluster.await(() -> b.node().sessions().activeSessions() == 0, 30));
            StoredResult row = b.node().store().find(id).orElseThrow();
            assertEquals(ShareState.PENDING, row.shareState(), "a complaint does not retire a confirmed share");
            assertTrue(b.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS).matches());
            assertFalse(run.fromB.isDone(), "no REJECTED of its own");

            cluster.ledger.fulfill(id, run.key);
            PartyResponse fromB = run.fromB.get(60, TimeUnit.SECONDS).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fromB.getStatus(), fromB.toString());
            assertArrayEquals(run.key, fromB.getPublicKey().toByteArray());
            assertEquals(ShareState.ACTIVE, b.node().store().find(id).orElseThrow().shareState());
            assertTrue(b.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS).matches());
        }
    }

    @Test
    void aLedgerKeyOtherThanTheVerifiedOneIsNotAttestedAndShowsInTheAdminView() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member a = cluster.member(0);
            PartyCluster.Member b = cluster.member(1);
            PartyCluster.Member cheat = cluster.member(2);
            long id = 603;
            KeyType type = KeyType.KEY_TYPE_ECDSA_SECP256K1;
            KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 120_000);
            Started run = withheldFromB(cluster, call, a, b, cheat);
            // the ledger records another key than the one b verified; a complaint ends b's session at once
            byte[] other = io.keyfed.api.crypto.Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(777));
            cluster.ledger.fulfill(id, other);
            PartyCluster.Speaker asCheat = PartyCluster.speakAs(cheat, b, call);
            assertThrows(StatusRuntimeException.class, () -> b.stub().deliver(asCheat.seal(EnvelopeCodec.KIND_COMPLAINT,
                    KeyConfirmation.encodeComplaint(0, "invalid_share"))));
            asCheat.destroy();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> run.fromB.get(60, TimeUnit.SECONDS));
            Status status = Status.fromThrowable(failed.getCause());
            assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode(), status.toString());
            assertTrue(status.getDescription().contains("does not attest"), status.getDescription());
            StoredResult row = b.node().store().find(id).orElseThrow();
            assertEquals(ShareState.PENDING, row.shareState(), "not active, not retired");
            assertArrayEquals(other, row.ledgerPublicKey());
            assertTrue(b.node().sessions().verifyStoredShare(id).get(30, TimeUnit.SECONDS).matches());

            List<PendingShare> pending = b.node().pendingShares();
            assertEquals(1, pending.size());
            assertArrayEquals(run.key, pending.get(0).publicKey());
            assertArrayEquals(other, pending.get(0).ledgerPublicKey());
            AdminReply view = new AdminService(b.node(), null).pendingShares();
            assertEquals(200, view.status());
            assertEquals(1, view.body().get("mismatched"));
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = ((List<Map<String, Object>>) view.body().get("pending")).get(0);
            assertEquals("603", shown.get("request_id"));
            assertEquals(false, shown.get("attested"));
            assertEquals(HexFormat.of().formatHex(other), shown.get("ledger_public_key"));
            assertEquals(HexFormat.of().formatHex(run.key), shown.get("public_key"));

            // a retry answers the same, and runs no second DKG
            StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> b.stub().keygen(call));
            assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
            assertEquals(1, b.node().sessions().sessionsStarted());
        }
    }

    /** The Keygen calls running, b's still waiting, and the key a answered. */
    private record Started(ListenableFuture<KeygenResponse> fromB, byte[] key) {
    }

    /**
     * Runs the request on every member with the cheat withholding its CONFIRM from b: a and the cheat answer
     * FULFILLED; b, its share stored pending, waits in phase CONFIRM.
     */
    private static Started withheldFromB(PartyCluster cluster, KeygenRequest call, PartyCluster.Member a,
            PartyCluster.Member b, PartyCluster.Member cheat) throws Exception {
        long id = call.getRequest().getId();
        AtomicInteger withheld = new AtomicInteger();
        cheat.outbound().set(withholdConfirmsTo(b, withheld));
        ListenableFuture<KeygenResponse> fromA = a.futureStub().keygen(call);
        ListenableFuture<KeygenResponse> fromB = b.futureStub().keygen(call);
        ListenableFuture<KeygenResponse> fromCheat = cheat.futureStub().keygen(call);
        PartyResponse ra = fromA.get(60, TimeUnit.SECONDS).getResponse();
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, ra.getStatus(), ra.toString());
        assertEquals(ra.getPublicKey(), fromCheat.get(60, TimeUnit.SECONDS).getResponse().getPublicKey());
        assertEquals(1, withheld.get(), "the CONFIRM to b was withheld");
        assertEquals(Optional.of("CONFIRM"), b.node().sessions().phase(id));
        assertEquals(ShareState.PENDING, b.node().store().find(id).orElseThrow().shareState());
        return new Started(fromB, ra.getPublicKey().toByteArray());
    }

    private static io.keyfed.party.session.OutboundPackages withholdConfirmsTo(
            PartyCluster.Member victim, AtomicInteger count) {
        return (to, kind, plain) -> {
            if (kind == EnvelopeCodec.KIND_CONFIRM && to.equals(victim.address)) {
                count.incrementAndGet();
                return null;
            }
            return plain;
        };
    }
}
