package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import io.keyfed.api.crypto.Secp256k1;
import io.micrometer.core.instrument.MeterRegistry;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.store.ShareState;
import io.keyfed.party.store.StoredResult;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * Misbehaving parties over the real transport: party 0 runs the genuine service, but its outgoing DKG
 * packages are rewritten (test-only seam {@code PartyCluster.Member.outbound()}, a {@link TamperedOutbound}) before they are
 * sealed, so every message is properly authenticated as coming from it. Each victim must answer a signed
 * REJECTED naming the cheat, store no share, and keep its token (identity and agreement keys) unchanged.
 * The wrong share sent to every peer is in {@code PeerMessagesTest}.
 */
class PartyMisbehaviourTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Runs one request with the cheat's filter installed; checks the named victims; returns all answers. */
    private static List<PartyResponse> runAgainst(PartyCluster cluster, long id, KeyType type,
            SessionManagerFilter filter, List<Integer> victims, String code) throws Exception {
        PartyCluster.Member cheat = cluster.member(0);
        Map<Integer, PartyIdentity> identities = new HashMap<>();
        for (int i = 1; i < 3; i++) {
            identities.put(i, cluster.member(i).stub().getIdentity(GetIdentityRequest.getDefaultInstance()));
        }
        Map<Integer, Double> abortsBefore = new HashMap<>();
        Map<Integer, Double> namedBefore = new HashMap<>();
        Map<Integer, Double> rejectedBefore = new HashMap<>();
        for (int v : victims) {
            MeterRegistry meters = cluster.member(v).metrics.registry();
            abortsBefore.put(v, aborts(meters, null));
            namedBefore.put(v, aborts(meters, cheat.address));
            rejectedBefore.put(v, meters.get(PartyMetrics.SESSIONS).tags("protocol", PartyMetrics.DKG, "outcome",
                    "rejected").counter().count());
        }
        KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 45_000);
        SessionSpec spec = SessionSpec.validate(call, "zen", cheat.address, cheat.token.identityPublicKey(),
                System.currentTimeMillis());
        cheat.outbound().set((to, kind, plain) -> filter.apply(spec, to, kind, plain));
        List<ListenableFuture<KeygenResponse>> calls = new ArrayList<>();
        for (PartyCluster.Member m : cluster.members()) {
            calls.add(m.futureStub().keygen(call));
        }
        List<PartyResponse> answers = new ArrayList<>(java.util.Arrays.asList(null, null, null));
        // Victims first: a victim's REJECTED before any FULFILLED rejects the request at the ledger, which then tells
        // the parties that had already sent their CONFIRM (their shares pending) how to answer.
        List<Integer> order = new ArrayList<>(victims);
        for (int i = victims.isEmpty() ? 0 : 1; i < 3; i++) {
            // (the cheat waits for messages its victims no longer send, until the deadline: not awaited)
            if (!order.contains(i)) {
                order.add(i);
            }
        }
        for (int i : order) {
            if (!victims.isEmpty() && !victims.contains(i) && answers.get(victims.get(0)) != null) {
                cluster.ledger.reject(id, answers.get(victims.get(0)).getRejectReason());
            }
            try {
                answers.set(i, calls.get(i).get(90, TimeUnit.SECONDS).getResponse());
            } catch (java.util.concurrent.ExecutionException e) {
                // a party may end without a signed answer (e.g. deadline); victims may not
            }
        }
        for (int v : victims) {
            PartyCluster.Member victim = cluster.member(v);
            PartyResponse r = answers.get(v);
            assertTrue(r != null, "victim " + victim.address + " gave no signed answer");
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.getStatus(), r.toString());
            // Named directly, or through an honest party's complaint ("party X reports party <cheat> ..."), or as
            // the complainer when the cheat's own complaint (accusing someone else) arrives first.
            assertTrue(r.getRejectReason().startsWith("dkg aborted: party " + cheat.address + " ")
                    || r.getRejectReason().contains(" reports party " + cheat.address + " "),
                    "reason names the cheat: " + r.getRejectReason());
            assertTrue(r.getRejectReason().contains(code), "reason gives '" + code + "': " + r.getRejectReason());
            assertEquals(0, r.getPublicKey().size());
            assertTrue(Secp256k1.verify(victim.token.identityPublicKey(), PartyResponseSignBytes.of(
                    PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, type, victim.address, r.getStatus(), new byte[0],
                    r.getRejectReason(), r.getSessionId().toByteArray()), r.getSignature().toByteArray()), "victim's answer signed in its token");
            Optional<StoredResult> stored = victim.node().store().find(id);
            assertTrue(stored.isPresent(), "victim stored its REJECTED answer");
            assertEquals(0, stored.get().sealedShare().length, "victim stored no share");
            assertEquals(r, stored.get().response());
            MeterRegistry meters = victim.metrics.registry();
            assertEquals(abortsBefore.get(v) + 1, aborts(meters, null), "one abort counted");
            if (r.getRejectReason().startsWith("dkg aborted: party " + cheat.address + " ")) {
                assertEquals(namedBefore.get(v) + 1, aborts(meters, cheat.address),
                        "the abort is counted with its check and culprit");
            }
            assertEquals(rejectedBefore.get(v) + 1,
                    meters.get(PartyMetrics.SESSIONS).tags("protocol", PartyMetrics.DKG, "outcome", "rejected")
                            .counter().count());
        }
        for (int i = 1; i < 3; i++) {
            PartyCluster.Member honest = cluster.member(i);
            PartyIdentity after = honest.stub().getIdentity(GetIdentityRequest.getDefaultInstance());
            assertEquals(identities.get(i), after, "honest party's token keys unchanged");
            assertArrayEquals(identities.get(i).getIdentityPublicKey().toByteArray(), honest.token.identityPublicKey());
            assertEquals(0, honest.node().sessions().activeSessions(), "no session left running");
        }
        cheat.outbound().set(null);
        return answers;
    }

    /** Aborts counted by a party, all of them or those blaming {@code culprit} (on any check). */
    private static double aborts(MeterRegistry meters, String culprit) {
        return meters.find(PartyMetrics.ABORTS).counters().stream()
                .filter(c -> culprit == null || culprit.equals(c.getId().getTag("culprit")))
                .mapToDouble(c -> c.count()).sum();
    }

    /** The rewriting, with the cheat's own view of the session. */
    interface SessionManagerFilter {
        byte[] apply(SessionSpec spec, String to, int kind, byte[] plaintext);
    }

    private static DkgParameters params(SessionSpec spec) {
        return new DkgParameters(spec.curve(), spec.threshold(), spec.n(), spec.selfId(), spec.sessionId());
    }

    @Test
    void aWrongShareToOnePeerIsNamedByThatPeer() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            String victim = cluster.member(2).address;
            List<PartyResponse> answers = runAgainst(cluster, 201, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                    (spec, to, kind, plain) -> {
                        if (kind != EnvelopeCodec.KIND_ROUND2 || !to.equals(victim)) {
                            return plain;
                        }
                        byte[] bad = plain.clone();
                        bad[bad.length - 1] ^= 1;
                        return bad;
                    }, List.of(2), "invalid_share");
            // Only the victim sees the bad share, and it says so directly.
            assertEquals("dkg aborted: party " + cheat.address + " sent an invalid share (invalid_share)",
                    answers.get(2).getRejectReason());
            // The other honest party saw only valid packages, but it never gets the victim's confirmation. If the
            // victim's complaint arrives before its own CONFIRM, it rejects naming the cheat on the evidence in the complaint; if
            // after, its share stays pending until the ledger rejects the request (on the victim's REJECTED), and it
            // then answers REJECTED with the ledger's reason, its share retired (kept). No FULFILLED answer.
            PartyCluster.Member otherMember = cluster.member(1);
            PartyResponse other = answers.get(1);
            assertTrue(other != null, "the honest non-victim answered");
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, other.getStatus(), other.toString());
            String named = "dkg aborted: party " + cheat.address + " sent an invalid share (invalid_share) to party "
                    + victim + ", shown by the evidence in its complaint";
            StoredResult otherRow = otherMember.node().store().find(201).orElseThrow();
            if (otherRow.hasShare()) {
                assertEquals("rejected at the ledger: " + answers.get(2).getRejectReason(), other.getRejectReason());
                assertEquals(ShareState.RETIRED, otherRow.shareState(), "its confirmed share is retired, not deleted");
            } else {
                assertEquals(named, other.getRejectReason());
            }
            assertEquals(0, other.getPublicKey().size());
            assertTrue(Secp256k1.verify(otherMember.token.identityPublicKey(), PartyResponseSignBytes.of(
                    PartyCluster.CHAIN_ID, 201, PartyCluster.KEYRING, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                    otherMember.address, other.getStatus(), new byte[0], other.getRejectReason(), other.getSessionId().toByteArray()),
                    other.getSignature().toByteArray()));
            // No honest store holds an active share or a FULFILLED answer for the request.
            for (int i = 1; i < 3; i++) {
                StoredResult stored = cluster.member(i).node().store().find(201).orElseThrow();
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, stored.response().getStatus());
                assertTrue(stored.shareState() == null || stored.shareState() == ShareState.RETIRED, stored.toString());
            }
            // The cheat itself gets the complaint too and ends (its answer is not FULFILLED either).
            assertTrue(PartyCluster.await(() -> cheat.node().sessions().activeSessions() == 0, 60));
            cheat.node().store().find(201).ifPresent(r -> assertTrue(r.response() == null
                    || r.response().getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED, r.toString()));
        }
    }

    @Test
    void differentCommitmentsToDifferentPeersAreNamedAsEquivocation() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            String victim = cluster.member(2).address;
            Map<String, byte[]> second = new ConcurrentHashMap<>();
            List<PartyResponse> answers = runAgainst(cluster, 202, KeyType.KEY_TYPE_EDDSA_ED25519,
                    (spec, to, kind, plain) -> {
                        if (kind != EnvelopeCodec.KIND_ROUND1 || !to.equals(victim)) {
                            return plain;
                        }
                        // A second, self-consistent round-1 package (valid proof, other polynomial) for this peer
                        // only, validly signed in the cheat's token: the cheat signed two packages.
                        return second.computeIfAbsent(to, t -> SignedRound1.sign(cheat.token, spec,
                                Dkg.round1(params(spec), RANDOM).broadcast()).encode());
                    }, List.of(1, 2), "equivocation");
            assertEquals(1, second.size(), "the second signed package was sent");
            for (int i = 1; i < 3; i++) {
                assertTrue(answers.get(i).getRejectReason().contains("(equivocation)"),
                        answers.get(i).getRejectReason());
            }
        }
    }

    @Test
    void anEchoLiarIsNamedAndTheHonestPartyItAccusesIsNot() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            PartyCluster.Member cheat = cluster.member(0);
            PartyCluster.Member accused = cluster.member(1);
            Map<Integer, Double> accusedBefore = new HashMap<>();
            Map<Integer, Double> falseEchoBefore = new HashMap<>();
            for (int i = 1; i < 3; i++) {
                MeterRegistry meters = cluster.member(i).metrics.registry();
                accusedBefore.put(i, aborts(meters, accused.address));
                falseEchoBefore.put(i, aborts(meters, "false_echo", cheat.address));
            }
            java.util.concurrent.atomic.AtomicInteger lies = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger accusedId = new java.util.concurrent.atomic.AtomicInteger();
            // The cheat runs rounds honestly but tells every peer that the accused sent it another round-1
            // package. It cannot sign for the accused, so it keeps the accused's genuine signature.
            List<PartyResponse> answers = runAgainst(cluster, 207, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                    (spec, to, kind, plain) -> {
                        if (kind != EnvelopeCodec.KIND_ECHO) {
                            return plain;
                        }
                        lies.incrementAndGet();
                        accusedId.set(spec.identifierOf(accused.address));
                        return lieAbout(spec, plain, accusedId.get());
                    }, List.of(1, 2), "false_echo");
            assertTrue(lies.get() > 0, "the false echo was sent");
            // Each honest party either checks the false echo itself and names the liar, or (when the other honest
            // party's complaint arrives first) aborts on that complaint, which carries no evidence for round-1
            // disputes and so blames no one. The first honest party to see the lie always checks it itself, so
            // at least one names the liar; no one ever blames the accused.
            int named = 0;
            for (int i = 1; i < 3; i++) {
                PartyCluster.Member honest = cluster.member(i);
                PartyCluster.Member other = cluster.member(3 - i);
                String reason = answers.get(i).getRejectReason();
                String namesLiar = "dkg aborted: party " + cheat.address + " sent a false echo: it claims a "
                        + "round-1 package of participant " + accusedId.get()
                        + " that participant did not sign (false_echo)";
                String fromComplaint = "dkg aborted: party " + other.address + " reports party " + cheat.address
                        + " sent a false echo (false_echo), without evidence (no single party to blame)";
                assertTrue(reason.equals(namesLiar) || reason.equals(fromComplaint), reason);
                MeterRegistry meters = honest.metrics.registry();
                assertEquals(accusedBefore.get(i), aborts(meters, accused.address), "the accused is never blamed");
                if (reason.equals(namesLiar)) {
                    named++;
                    assertEquals(falseEchoBefore.get(i) + 1, aborts(meters, "false_echo", cheat.address),
                            "the abort is counted against the liar");
                }
            }
            assertTrue(named > 0, "at least one honest party names the liar");
        }
    }

    /** The echo {@code plain} with a made-up digest for participant {@code subject}, its genuine signature kept. */
    private static byte[] lieAbout(SessionSpec spec, byte[] plain, int subject) {
        try {
            EchoPackage e = EchoPackage.decode(spec.curve(), plain, spec.selfId());
            List<EchoPackage.Entry> entries = new ArrayList<>();
            for (int k = 1; k <= e.digestCount(); k++) {
                byte[] d = e.digest(k);
                if (k == subject) {
                    d[0] ^= 1;
                }
                entries.add(new EchoPackage.Entry(d, e.signature(k)));
            }
            return new EchoPackage(e.curve(), e.sender(), e.sessionId(), entries).encode();
        } catch (DkgAbort ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Aborts counted by a party on {@code check}, blaming {@code culprit}. */
    private static double aborts(MeterRegistry meters, String check, String culprit) {
        return meters.find(PartyMetrics.ABORTS).tag("check", check).tag("culprit", culprit).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aBadProofOfKnowledgeIsNamed() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            runAgainst(cluster, 203, KeyType.KEY_TYPE_BITCOIN_SECP256K1, (spec, to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_ROUND1) {
                    return plain;
                }
                try {
                    Round1Package p = SignedRound1Package.decode(spec.curve(), plain, spec.selfId()).pkg();
                    Scalar mu = spec.curve().scalarAdd(p.proofMu(), spec.curve().scalarOf(1));
                    // Signed in the cheat's token: a bad proof it signed is evidence against it.
                    return SignedRound1.sign(cluster.member(0).token, spec, new Round1Package(p.curve(), p.sender(),
                            p.sessionId(), p.commitments(), p.proofR(), mu)).encode();
                } catch (DkgAbort e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(1, 2), "invalid_proof");
        }
    }

    @Test
    void aRoundOnePackageWithoutItsSendersSignatureIsNamed() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            // The cheat's genuine package, signed by another party's token (the one a peer could replay).
            runAgainst(cluster, 208, KeyType.KEY_TYPE_EDDSA_ED25519, (spec, to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_ROUND1) {
                    return plain;
                }
                try {
                    Round1Package p = SignedRound1Package.decode(spec.curve(), plain, spec.selfId()).pkg();
                    return SignedRound1.sign(cluster.member(1).token, spec, p).encode();
                } catch (DkgAbort e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(1, 2), "invalid_signature");
        }
    }

    @Test
    void garbageBytesAreNamed() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            runAgainst(cluster, 204, KeyType.KEY_TYPE_ECDSA_SECP256K1, (spec, to, kind, plain) -> {
                if (kind != EnvelopeCodec.KIND_ROUND1) {
                    return plain;
                }
                byte[] junk = new byte[plain.length];
                RANDOM.nextBytes(junk);
                return junk;
            }, List.of(1, 2), "malformed");
        }
    }

    @Test
    void anOldSessionsMessageReplayedIntoANewSessionIsNamed() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3").startAll()) {
            // Session 205 runs honestly while the cheat records what it sent.
            Map<String, byte[]> recorded = new ConcurrentHashMap<>();
            List<PartyResponse> first = runAgainst(cluster, 205, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                    (spec, to, kind, plain) -> {
                        if (kind == EnvelopeCodec.KIND_ROUND1) {
                            recorded.put(to, plain.clone());
                        }
                        return plain;
                    }, List.of(), "");
            for (PartyResponse r : first) {
                assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.toString());
            }
            assertEquals(2, recorded.size());
            // Session 206: the cheat replays its old round-1 messages (freshly authenticated for the new
            // session, so only the content is stale).
            runAgainst(cluster, 206, KeyType.KEY_TYPE_ECDSA_SECP256K1,
                    (spec, to, kind, plain) -> kind == EnvelopeCodec.KIND_ROUND1 ? recorded.get(to) : plain,
                    List.of(1, 2), "session_mismatch");
            // The honest parties' shares of the first key are still there.
            for (int i = 1; i < 3; i++) {
                assertTrue(cluster.member(i).node().store().find(205).orElseThrow().sealedShare().length > 0);
            }
        }
    }
}
