package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.ShareVerification;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.ComplaintEvidence;
import io.keyfed.party.session.KeyConfirmation;
import io.keyfed.party.session.SignedShare;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Complaints about round-2 shares carry evidence that every party judges: the accused's signed ciphertext and
 * the accuser's ephemeral secret of the pair. A true complaint blames the sender of the bad share, a false one
 * the accuser; never the honest party on the other side.
 */
class ComplaintEvidenceTest {

    @Test
    void aTrueComplaintBlamesTheSenderOfTheBadShareAtEveryHonestParty() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            PartyCluster.Member bystander = cluster.member(1);
            PartyCluster.Member victim = cluster.member(2);
            long id = 911;
            AtomicInteger badShares = new AtomicInteger();
            cheat.outbound().set((to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_ROUND2 || !to.equals(victim.address)) {
                    return plain;
                }
                badShares.incrementAndGet();
                byte[] bad = plain.clone();
                bad[bad.length - 1] ^= 1; // last byte of the big-endian secp256k1 share: still a scalar, wrong value
                return bad;
            });
            Map<String, Map<String, Double>> before = blameCounts(cluster);
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : cluster.members()) {
                calls.add(m.futureStub().keygen(call));
            }
            PartyResponse victimAnswer = calls.get(2).get(60, TimeUnit.SECONDS).getResponse();
            // The victim's REJECTED rejects the request on the ledger. A bystander that had already sent its CONFIRM
            // when the complaint came keeps its share pending and answers from the ledger's final status.
            cluster.ledger.reject(id, "party " + victim.address + " rejected: " + victimAnswer.getRejectReason());
            PartyResponse bystanderAnswer = calls.get(1).get(60, TimeUnit.SECONDS).getResponse();
            cheat.outbound().set(null);

            assertEquals(1, badShares.get(), "the cheat sent the victim one bad share");
            // The victim checked the share itself; its complaint to the bystander carries evidence.
            assertEquals("dkg aborted: party " + cheat.address + " sent an invalid share (invalid_share)",
                    victimAnswer.getRejectReason());
            PeerEnvelope complaint = bystander.received.stream().filter(e -> e.getRequestId() == id
                    && e.getKind() == EnvelopeCodec.KIND_COMPLAINT && e.getSenderAddr().equals(victim.address))
                    .findFirst().orElseThrow(() -> new AssertionError("the victim's complaint never reached the bystander"));
            KeyConfirmation.Complaint c = KeyConfirmation.decodeComplaint(complaint.getPayload().toByteArray(), 3);
            assertNotNull(c);
            assertNotNull(c.evidence(), "the complaint carries evidence");
            // The bystander never saw the bad share, and blames its sender on the evidence alone (in its answer when
            // the complaint came before its CONFIRM, in its aborts metric in every case, asserted below).
            assertEither("dkg aborted: party " + cheat.address + " sent an invalid share (invalid_share) to party "
                    + victim.address + ", shown by the evidence in its complaint", bystander, id, bystanderAnswer);
            for (PartyCluster.Member honest : List.of(bystander, victim)) {
                PartyResponse r = honest == victim ? victimAnswer : bystanderAnswer;
                assertRejectedAndSigned(honest, id, KeyType.KEY_TYPE_ECDSA_SECP256K1, r);
                assertBlamed(before, honest, cheat, "invalid_share", List.of(bystander, victim));
            }
        }
    }

    @Test
    void aFalseComplaintAboutAValidShareBlamesTheAccuserAtEveryHonestParty() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member accused = cluster.member(0);
            PartyCluster.Member bystander = cluster.member(1);
            PartyCluster.Member cheat = cluster.member(2);
            long id = 912;
            Map<String, Map<String, Double>> before = blameCounts(cluster);
            KeygenRequest call = cluster.request(id, KeyType.KEY_TYPE_BITCOIN_SECP256K1, 2,
                    System.currentTimeMillis() + 60_000);
            List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
            for (PartyCluster.Member m : List.of(accused, bystander)) {
                calls.add(m.futureStub().keygen(call));
            }
            // The cheat runs the protocol honestly by hand through round 2 (its shares are valid), then, instead of
            // confirming, complains about the accused's valid share.
            HandDrivenParty byHand = new HandDrivenParty(cheat, List.of(accused, bystander), call);
            List<String> deliveries = new ArrayList<>();
            try {
                byHand.start();
                byHand.echo();
                byHand.round2();
                // The evidence is genuine: the accused's signed ciphertext, and the cheat's own ephemeral secret of
                // the pair, which opens a share that matches the accused's commitments.
                SignedShare signed = byHand.signedShareFrom(accused.address);
                byte[] plain = byHand.openShareFrom(accused.address);
                int accusedId = byHand.spec.identifierOf(accused.address);
                Round2Package share = Round2Package.decode(byHand.spec.curve(), plain, accusedId);
                Arrays.fill(plain, (byte) 0);
                ShareVerification.verify(io.keyfed.party.dkg.pkg.SignedRound1Package.decode(byHand.spec.curve(),
                        byHand.awaitFromAll(EnvelopeCodec.KIND_ROUND1).get(accusedId), accusedId).pkg(),
                        byHand.spec.selfId(), byHand.spec.sessionId(), share);
                share.destroy();
                byte[] evidence = new ComplaintEvidence(signed, byHand.ephemeralSecret(accused.address)).encode();
                byte[] forged = KeyConfirmation.encodeComplaint(accusedId, "invalid_share", evidence);
                for (PartyCluster.Member honest : List.of(accused, bystander)) {
                    deliveries.add(byHand.send(honest.address, EnvelopeCodec.KIND_COMPLAINT, forged));
                }
            } finally {
                byHand.destroy();
            }
            String expected = "dkg aborted: party " + cheat.address + " made a false complaint against party "
                    + accused.address + ": the share it complains about decrypts and matches the accused's"
                    + " commitments (false_complaint)";
            // Both complaints were delivered and judged at once: each delivery was answered with the abort.
            assertEquals(List.of("FAILED_PRECONDITION: " + expected, "FAILED_PRECONDITION: " + expected), deliveries);
            // The cheat never confirms, so no key reaches the ledger; it rejects the request at the deadline (here
            // at once). An honest party whose CONFIRM went out before the complaint answers from that status.
            cluster.ledger.reject(id, "deadline exceeded");
            for (int i = 0; i < 2; i++) {
                PartyCluster.Member honest = i == 0 ? accused : bystander;
                PartyResponse r = calls.get(i).get(60, TimeUnit.SECONDS).getResponse();
                assertEither(expected, honest, id, r);
                assertRejectedAndSigned(honest, id, KeyType.KEY_TYPE_BITCOIN_SECP256K1, r);
                assertBlamed(before, honest, cheat, "false_complaint", List.of(accused, bystander));
            }
        }
    }

    private static void assertRejectedAndSigned(PartyCluster.Member m, long id, KeyType type, PartyResponse r) {
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus(), r.toString());
        assertEquals(0, r.getPublicKey().size());
        assertTrue(Secp256k1.verify(m.token.identityPublicKey(), PartyResponseSignBytes.of(PartyCluster.CHAIN_ID, id,
                PartyCluster.KEYRING, type, m.address, r.getStatus(), new byte[0], r.getRejectReason(),
                r.getSessionId().toByteArray()), r.getSignature().toByteArray()), "signed in the party's token");
        StoredResult stored = m.node().store().find(id).orElseThrow();
        assertEquals(r, stored.response());
        if (stored.hasShare()) {
            assertEquals(io.keyfed.party.store.ShareState.RETIRED, stored.shareState(),
                    "a share confirmed before the abort is retired on the ledger's REJECTED, and kept");
        } else {
            assertEquals(0, stored.sealedShare().length, "no share kept from a run aborted before its CONFIRM");
        }
    }

    /**
     * {@code r} gives {@code reason} itself when the party aborted before its CONFIRM; after it, the party's share
     * was pending and its answer is the ledger's final status.
     */
    private static void assertEither(String reason, PartyCluster.Member m, long id, PartyResponse r) {
        StoredResult stored = m.node().store().find(id).orElseThrow();
        if (stored.hasShare()) {
            assertTrue(r.getRejectReason().startsWith("rejected at the ledger: "), r.getRejectReason());
        } else {
            assertEquals(reason, r.getRejectReason());
        }
    }

    /** One more abort blaming {@code culprit} on {@code check}; none blaming any honest party. */
    private static void assertBlamed(Map<String, Map<String, Double>> before, PartyCluster.Member at,
            PartyCluster.Member culprit, String check, List<PartyCluster.Member> honest) {
        MeterRegistry meters = at.metrics.registry();
        assertEquals(before.get(at.address).getOrDefault(culprit.address + "/" + check, 0.0) + 1,
                count(meters, culprit.address, check), at.address + " blames " + culprit.address + " on " + check);
        for (PartyCluster.Member h : honest) {
            assertEquals(before.get(at.address).getOrDefault(h.address, 0.0), count(meters, h.address, null),
                    at.address + " never blames the honest " + h.address);
        }
    }

    /** Per member: its abort counts by culprit, and by culprit/check. */
    private static Map<String, Map<String, Double>> blameCounts(PartyCluster cluster) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (PartyCluster.Member m : cluster.members()) {
            Map<String, Double> counts = new HashMap<>();
            for (PartyCluster.Member c : cluster.members()) {
                counts.put(c.address, count(m.metrics.registry(), c.address, null));
                for (String check : List.of("invalid_share", "false_complaint")) {
                    counts.put(c.address + "/" + check, count(m.metrics.registry(), c.address, check));
                }
            }
            out.put(m.address, counts);
        }
        return out;
    }

    private static double count(MeterRegistry meters, String culprit, String check) {
        return meters.find(PartyMetrics.ABORTS).counters().stream()
                .filter(c -> culprit.equals(c.getId().getTag("culprit")))
                .filter(c -> check == null || check.equals(c.getId().getTag("check")))
                .mapToDouble(c -> c.count()).sum();
    }
}
