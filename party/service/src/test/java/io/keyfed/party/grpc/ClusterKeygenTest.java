package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.google.common.util.concurrent.ListenableFuture;

import io.keyfed.api.crypto.Secp256k1;
import io.micrometer.core.instrument.MeterRegistry;
import io.keyfed.api.encoding.PartyResponseSignBytes;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.store.DbResultStore;
import io.keyfed.party.store.ShareSealing;
import io.keyfed.party.store.StoredResult;

/** Three parties over real gRPC sockets run the DKG for one key of each curve. */
class ClusterKeygenTest {
    private PartyCluster cluster;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2", "party-3").startAll();
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    /** The party's meters after its one DKG: a fulfilled session, each round timed once, the HSM calls timed. */
    private static void assertMetricsOfOneFulfilledSession(PartyCluster.Member m) {
        MeterRegistry r = m.metrics.registry();
        assertEquals(1.0, r.get(PartyMetrics.SESSIONS).tags("protocol", "dkg", "outcome", "fulfilled").counter().count());
        assertEquals(0.0, r.get(PartyMetrics.SESSIONS_ACTIVE).gauge().value());
        for (String round : PartyMetrics.DKG_ROUNDS) {
            assertEquals(1, r.get(PartyMetrics.ROUND_DURATION).tags("round", round).timer().count(), round);
        }
        assertEquals(1, r.get(PartyMetrics.HSM_DURATION).tags("operation", "seal").timer().count(), "share sealed");
        assertTrue(r.get(PartyMetrics.HSM_DURATION).tags("operation", "sign").timer().count() >= 1, "answer signed");
        assertEquals(0.0, r.find(PartyMetrics.ABORTS).counters().stream().mapToDouble(c -> c.count()).sum(), "no abort");
        long rows = ((DbResultStore) m.node().store()).countSealedShares().await().indefinitely();
        assertEquals(rows, (long) r.get(PartyMetrics.SEALED_SHARES).gauge().value(),
                "sealed shares gauge = rows in the database");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = { "KEY_TYPE_ECDSA_SECP256K1", "KEY_TYPE_EDDSA_ED25519" })
    void threePartiesAgreeOnTheKeyAndKeepTheirSharesSealed(KeyType type) throws Exception {
        long id = 7;
        KeygenRequest call = cluster.request(id, type, 2, System.currentTimeMillis() + 60_000);

        List<ListenableFuture<KeygenResponse>> futures = new ArrayList<>();
        for (PartyCluster.Member m : cluster.members()) {
            futures.add(m.futureStub().withDeadlineAfter(60, TimeUnit.SECONDS).keygen(call));
        }
        // The connector asking twice while the run is in progress joins the same session.
        ListenableFuture<KeygenResponse> twice = cluster.member(0).futureStub().keygen(call);
        List<PartyResponse> responses = new ArrayList<>();
        for (ListenableFuture<KeygenResponse> f : futures) {
            responses.add(f.get(60, TimeUnit.SECONDS).getResponse());
        }
        assertEquals(responses.get(0), twice.get(60, TimeUnit.SECONDS).getResponse());
        for (PartyCluster.Member m : cluster.members()) {
            assertEquals(1, m.node().sessions().sessionsStarted(), "one DKG per party");
            assertMetricsOfOneFulfilledSession(m);
        }

        CurveId curveId = SessionSpec.curveOf(type);
        Curve curve = Curve.of(curveId);
        byte[] groupKey = responses.get(0).getPublicKey().toByteArray();
        assertEquals(curveId == CurveId.SECP256K1 ? 33 : 32, groupKey.length);
        for (int i = 0; i < 3; i++) {
            PartyCluster.Member m = cluster.member(i);
            PartyResponse r = responses.get(i);
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
            assertEquals(id, r.getRequestId());
            assertEquals(m.address, r.getPartyAddr());
            assertArrayEquals(groupKey, r.getPublicKey().toByteArray());
            assertArrayEquals(PartyCluster.sessionId(call), r.getSessionId().toByteArray(),
                    "the answer names the session the ledger derives for the request");
            byte[] signBytes = PartyResponseSignBytes.of(PartyCluster.CHAIN_ID, id, PartyCluster.KEYRING, type,
                    m.address, r.getStatus(), r.getPublicKey().toByteArray(), r.getRejectReason(), r.getSessionId().toByteArray());
            assertTrue(Secp256k1.verify(m.token.identityPublicKey(), signBytes, r.getSignature().toByteArray()),
                    "response signature of " + m.name);
            assertFalse(Secp256k1.verify(cluster.member((i + 1) % 3).token.identityPublicKey(), signBytes,
                    r.getSignature().toByteArray()));
        }

        // Unseal every share (test only) and reconstruct from every pair.
        Map<Integer, BigInteger> shares = new HashMap<>();
        Map<Integer, byte[]> shareBytes = new HashMap<>();
        for (PartyCluster.Member m : cluster.members()) {
            StoredResult stored = m.node().store().find(id).orElseThrow();
            assertTrue(stored.fulfilled());
            assertEquals(responses.get(cluster.members().indexOf(m)), stored.response());
            int identifier = identifierOf(m);
            byte[] plain = m.token.unseal(stored.sealedShare(), ShareSealing.aad(id, stored.sessionId(),
                    SessionSpec.curveName(curveId), type.getNumber(), m.address));
            shareBytes.put(identifier, plain);
            shares.put(identifier, integer(curve, curve.decodeScalar(plain)));
        }
        int[][] pairs = { { 1, 2 }, { 1, 3 }, { 2, 3 } };
        for (int[] pair : pairs) {
            BigInteger x = interpolateAtZero(curve.order(), pair, shares);
            assertArrayEquals(groupKey, curve.encodePublicKey(curve.mulBase(scalar(curve, x))), "pair " + Arrays.toString(pair));
        }
        // One share alone is not the key.
        assertNotEquals(new BigInteger(1, groupKey), shares.get(1));
        assertFalse(Arrays.equals(groupKey, curve.encodePublicKey(curve.mulBase(scalar(curve, shares.get(1))))));

        // Idempotent: asked again, each party returns the identical stored answer and starts no session.
        for (int i = 0; i < 3; i++) {
            PartyCluster.Member m = cluster.member(i);
            long before = m.node().sessions().sessionsStarted();
            PartyResponse again = m.stub().keygen(call).getResponse();
            assertEquals(responses.get(i), again);
            assertEquals(before, m.node().sessions().sessionsStarted());
            assertEquals(0, m.node().sessions().activeSessions());
            assertEquals(0, m.node().held().messageCount());
        }

        // Restart: a new node (and store) on the same database and token returns the stored answer; the share opens.
        PartyCluster.Member first = cluster.member(0);
        first.stop();
        first.start();
        PartyResponse afterRestart = first.stub().keygen(call).getResponse();
        assertEquals(responses.get(0), afterRestart);
        assertEquals(0, first.node().sessions().sessionsStarted());
        StoredResult stored = first.node().store().find(id).orElseThrow();
        byte[] reopened = first.token.unseal(stored.sealedShare(), ShareSealing.aad(id, stored.sessionId(),
                SessionSpec.curveName(curveId), type.getNumber(), first.address));
        assertArrayEquals(shareBytes.get(identifierOf(first)), reopened);
        // The verification share in the stored package matches the unsealed share.
        io.keyfed.party.dkg.pkg.PublicKeyPackage pkp = io.keyfed.party.dkg.pkg.PublicKeyPackage.decode(curve,
                stored.publicKeyPackage(), 0);
        assertArrayEquals(pkp.verificationShareBytes(identifierOf(first)),
                curve.encodePoint(curve.mulBase(curve.decodeScalar(reopened))));
        assertArrayEquals(groupKey, pkp.groupPublicKey());
        // The operator check says the same, and refuses a tampered copy of the sealed blob.
        io.keyfed.party.session.ShareCheck check = first.node().verifyStoredShare(id).get(30, TimeUnit.SECONDS);
        assertTrue(check.matches());
        assertEquals(identifierOf(first), check.participantId());
        // One byte of the sealed share changed straight in party 1's database (SQL), as someone editing it would.
        byte[] tampered = stored.sealedShare();
        tampered[tampered.length - 1] ^= 1;
        assertEquals(1, first.database().update("update party_key_record set sealed_share = ? where request_id = ?",
                tampered, id));
        assertArrayEquals(tampered, first.node().store().find(id).orElseThrow().sealedShare());
        java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> first.node().verifyStoredShare(id).get(30, TimeUnit.SECONDS));
        io.keyfed.party.session.PartyException pe = (io.keyfed.party.session.PartyException) refused.getCause();
        assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, pe.code());
        assertTrue(pe.getMessage().startsWith("sealed share for request " + id + " does not open"), pe.getMessage());
        // Keygen for that request reports it too, and runs no second DKG.
        io.grpc.StatusRuntimeException again = org.junit.jupiter.api.Assertions.assertThrows(
                io.grpc.StatusRuntimeException.class, () -> first.stub().keygen(call));
        assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
        assertTrue(again.getStatus().getDescription().startsWith("sealed share for request " + id + " does not open"),
                again.getStatus().getDescription());
        assertEquals(0, first.node().sessions().sessionsStarted());
    }

    @org.junit.jupiter.api.Test
    void aSinglePartyKeyringNeedsNoPeers() throws Exception {
        try (PartyCluster solo = new PartyCluster("party-2").startAll()) {
            PartyCluster.Member m = solo.member(0);
            KeygenRequest call = solo.request(8, KeyType.KEY_TYPE_BITCOIN_SECP256K1, 1,
                    System.currentTimeMillis() + 60_000);
            PartyResponse r = m.stub().keygen(call).getResponse();
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, r.getStatus(), r.getRejectReason());
            StoredResult stored = m.node().store().find(8).orElseThrow();
            byte[] share = m.token.unseal(stored.sealedShare(), ShareSealing.aad(8, stored.sessionId(), "secp256k1",
                    KeyType.KEY_TYPE_BITCOIN_SECP256K1.getNumber(), m.address));
            assertArrayEquals(r.getPublicKey().toByteArray(), Secp256k1.publicKeyOf(new BigInteger(1, share)));
        }
    }

    private int identifierOf(PartyCluster.Member m) {
        List<String> sorted = cluster.members().stream().map(x -> x.address).sorted().toList();
        return sorted.indexOf(m.address) + 1;
    }

    /** A scalar's integer value (the test's reference arithmetic is BigInteger). */
    static BigInteger integer(Curve curve, Scalar s) {
        byte[] enc = curve.encodeScalar(s);
        if (curve.id() == CurveId.ED25519) {
            for (int i = 0; i < 16; i++) {
                byte b = enc[i];
                enc[i] = enc[31 - i];
                enc[31 - i] = b;
            }
        }
        return new BigInteger(1, enc);
    }

    /** The scalar x (0 <= x < q). */
    static Scalar scalar(Curve curve, BigInteger x) throws InvalidEncodingException {
        byte[] enc = new byte[32];
        byte[] raw = x.toByteArray();
        int n = Math.min(raw.length, 32);
        for (int i = 0; i < n; i++) {
            // big-endian for secp256k1, little-endian for ed25519
            enc[curve.id() == CurveId.ED25519 ? i : 31 - i] = raw[raw.length - 1 - i];
        }
        return curve.decodeScalar(enc);
    }

    static BigInteger interpolateAtZero(BigInteger q, int[] ids, Map<Integer, BigInteger> shares) {
        BigInteger sum = BigInteger.ZERO;
        for (int i : ids) {
            BigInteger num = BigInteger.ONE;
            BigInteger den = BigInteger.ONE;
            for (int j : ids) {
                if (j != i) {
                    num = num.multiply(BigInteger.valueOf(j)).mod(q);
                    den = den.multiply(BigInteger.valueOf(j - i)).mod(q);
                }
            }
            sum = sum.add(shares.get(i).multiply(num).multiply(den.modInverse(q))).mod(q);
        }
        return sum;
    }
}
