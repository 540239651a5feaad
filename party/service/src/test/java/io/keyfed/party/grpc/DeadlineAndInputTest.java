package io.keyfed.party.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.GetIdentityRequest;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.KeygenResponse;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.party.transport.PeerIdentity;

/** A session with an absent peer ends at its deadline; bad Keygen input is refused. */
class DeadlineAndInputTest {

    @Test
    void sessionWithAnAbsentPeerEndsAtTheDeadlineAndFreesItsState() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            cluster.member(0).start();
            cluster.member(1).start(); // party-3 never starts: its endpoint refuses connections
            KeygenRequest call = cluster.request(21, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2,
                    System.currentTimeMillis() + 2_000);
            java.util.List<com.google.common.util.concurrent.ListenableFuture<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                calls.add(cluster.member(i).futureStub().withDeadlineAfter(30, TimeUnit.SECONDS).keygen(call));
            }
            for (com.google.common.util.concurrent.ListenableFuture<?> f : calls) {
                java.util.concurrent.ExecutionException ee = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> f.get(30, TimeUnit.SECONDS));
                Status s = Status.fromThrowable(ee.getCause());
                assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), s.toString());
                assertTrue(s.getDescription().contains("missed its deadline"), s.toString());
                assertTrue(s.getDescription().contains(cluster.member(2).address), s.toString());
            }
            for (int i = 0; i < 2; i++) {
                PartyCluster.Member m = cluster.member(i);
                assertTrue(PartyCluster.await(() -> m.node().sessions().activeSessions() == 0, 10));
                assertEquals(0, m.node().held().messageCount());
                assertEquals(0, m.node().held().requestCount());
                assertTrue(m.node().store().find(21).isEmpty(), "nothing stored for a missed deadline");
            }
        }
    }

    @Test
    void sessionsAreCappedInNumberAndLifetime() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.config.maxSessions = 1;
            m.config.maxSessionLifetime = java.time.Duration.ofSeconds(2);
            m.start(); // the peers never start
            long farDeadline = System.currentTimeMillis() + 3_600_000;
            ListenableFuture<KeygenResponse> first = m.futureStub()
                    .keygen(cluster.request(22, KeyType.KEY_TYPE_EDDSA_ED25519, 3, farDeadline));
            assertTrue(PartyCluster.await(() -> m.node().sessions().activeSessions() == 1, 10));
            StatusRuntimeException busy = assertThrows(StatusRuntimeException.class,
                    () -> m.stub().keygen(cluster.request(23, KeyType.KEY_TYPE_EDDSA_ED25519, 3, farDeadline)));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode());
            assertTrue(busy.getStatus().getDescription().contains("max-sessions"), busy.getMessage());

            ExecutionException ee = assertThrows(ExecutionException.class, () -> first.get(30, TimeUnit.SECONDS));
            Status s = Status.fromThrowable(ee.getCause());
            assertEquals(Status.Code.DEADLINE_EXCEEDED, s.getCode(), s.toString());
            assertTrue(s.getDescription().contains("max-session-lifetime"), s.toString());
            assertTrue(PartyCluster.await(() -> m.node().sessions().activeSessions() == 0, 10));
            assertEquals(List.of(), m.database().requestIds(), "nothing stored in its database");
        }
    }

    @Test
    void badKeygenInputIsInvalidArgument() throws Exception {
        try (PartyCluster cluster = new PartyCluster("party-1", "party-2", "party-3")) {
            PartyCluster.Member m = cluster.member(0);
            m.start();
            long future = System.currentTimeMillis() + 60_000;
            KeygenRequest good = cluster.request(31, KeyType.KEY_TYPE_ECDSA_SECP256K1, 2, future);

            // This party not in the snapshot.
            KeyRequest.Builder others = good.getRequest().toBuilder().clearParties();
            good.getRequest().getPartiesList().stream().filter(p -> !p.getAddress().equals(m.address))
                    .forEach(others::addParties);
            expectInvalid(m, good.toBuilder().setRequest(others.setPartyThreshold(1)).build(), "not in the request's party snapshot");
            // Threshold above n, and zero.
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder().setPartyThreshold(4)), "party_threshold 4");
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder().setPartyThreshold(0)), "party_threshold 0");
            // Unknown key type.
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder().setKeyTypeValue(9)), "unknown key type 9");
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder().setKeyType(KeyType.KEY_TYPE_UNSPECIFIED)),
                    "unknown key type 0");
            // Deadline in the past.
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder()
                    .setDeadlineUnixMs(System.currentTimeMillis() - 1)), "not in the future");
            // Bad keyring address, party key not matching its address, missing chain id.
            expectInvalid(m, withRequest(good, good.getRequest().toBuilder().setKeyringAddr("keyring1xyz")),
                    "keyring_addr");
            KeyRequest.Builder wrongKey = good.getRequest().toBuilder();
            wrongKey.setParties(0, KeyringParty.newBuilder(good.getRequest().getParties(0))
                    .setPublicKey(ByteString.copyFrom(Secp256k1.publicKeyOf(java.math.BigInteger.TEN))));
            expectInvalid(m, withRequest(good, wrongKey), "matching its address");
            expectInvalid(m, good.toBuilder().setChainId("").build(), "chain_id");
            expectInvalid(m, KeygenRequest.newBuilder().setChainId("c").build(), "request is missing");
            assertEquals(0, m.node().sessions().sessionsStarted());

            // GetIdentity: address, identity key, certified agreement key.
            PartyIdentity id = m.stub().getIdentity(GetIdentityRequest.getDefaultInstance());
            assertEquals(m.address, id.getAddress());
            assertEquals(Addresses.account("zen", id.getIdentityPublicKey().toByteArray()), id.getAddress());
            assertEquals(65, id.getAgreementPublicKey().size());
            assertTrue(Secp256k1.verify(id.getIdentityPublicKey().toByteArray(),
                    PeerIdentity.certificationBytes(id.getAddress(), id.getAgreementPublicKey().toByteArray()),
                    id.getAgreementKeySignature().toByteArray()));
        }
    }

    private static KeygenRequest withRequest(KeygenRequest base, KeyRequest.Builder r) {
        return base.toBuilder().setRequest(r).build();
    }

    private static void expectInvalid(PartyCluster.Member m, KeygenRequest call, String fragment) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> m.stub().keygen(call));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getStatus().getDescription().contains(fragment), e.getStatus().getDescription());
    }
}
