package io.keyfed.party.pairing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.grpc.PartyCluster;
import io.keyfed.party.session.EphemeralKeys;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.EnvelopeCodec;

/**
 * Pairing envelopes a peer sends by hand over real gRPC (authenticated with its own token's channel keys): each bad
 * one is refused with a status and a message naming the problem and the sender, and starts nothing. Party b's own
 * node is up (a looks its identity up) but sends no pairing envelope, so only the hand-made ones reach a.
 */
class PairEnvelopeRefusalTest {
    private final SecureRandom random = new SecureRandom();
    private PartyCluster cluster;
    private PartyCluster.Member a;
    private PartyCluster.Member b;

    @BeforeEach
    void start() throws IOException {
        cluster = new PartyCluster("party-1", "party-2").startAll();
        a = cluster.member(0);
        b = cluster.member(1);
        b.outbound().set((to, kind, plain) -> EnvelopeCodec.protocolOf(kind) == EnvelopeCodec.Protocol.PAIRING
                ? null : plain);
    }

    @AfterEach
    void stop() throws InterruptedException {
        cluster.close();
    }

    PairSetupService pairing() {
        return (PairSetupService) a.node().pairing();
    }

    byte[] helloPayload(byte[] ephemeral, byte[] identityKey) {
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        return PairWire.hello(new PairWire.Hello(null, nonce, ephemeral, identityKey));
    }

    byte[] freshEphemeral() {
        byte[] secret = new byte[32];
        X25519.generatePrivateKey(random, secret);
        return EphemeralKeys.publicOf(secret);
    }

    /** An envelope from b to a, authenticated under b's channel key for {@code sessionId}. */
    PeerEnvelope fromB(int kind, byte[] sessionId, byte[] payload) {
        var keys = new ChannelKeys(b.token, b.address).direction(PairSetupClusterTest.identity(a), sessionId,
                b.address, a.address);
        return EnvelopeCodec.seal(keys, 9, sessionId, b.address, a.address, kind, payload);
    }

    byte[] helloId() {
        return PairIds.helloSessionId(a.address, b.address);
    }

    StatusRuntimeException refused(PeerEnvelope e, Status.Code code, String... words) {
        StatusRuntimeException x = assertThrows(StatusRuntimeException.class, () -> a.stub().deliver(e));
        assertEquals(code, x.getStatus().getCode(), x.getMessage());
        for (String w : words) {
            assertTrue(x.getStatus().getDescription().contains(w), x.getMessage());
        }
        assertEquals(0, pairing().running(), "nothing started");
        return x;
    }

    @Test
    void aHelloOfTheWrongLengthIsRefused() {
        byte[] p = helloPayload(freshEphemeral(), b.token.identityPublicKey());
        refused(fromB(EnvelopeCodec.KIND_PAIR_HELLO, helloId(), Arrays.copyOf(p, p.length - 1)),
                Status.Code.INVALID_ARGUMENT, "HELLO of " + (p.length - 1) + " bytes", b.address);
    }

    @Test
    void aHelloOfAnotherVersionIsRefused() {
        byte[] p = helloPayload(freshEphemeral(), b.token.identityPublicKey());
        p[0] = 2;
        refused(fromB(EnvelopeCodec.KIND_PAIR_HELLO, helloId(), p), Status.Code.INVALID_ARGUMENT,
                "unsupported version 2", b.address);
    }

    @Test
    void aHelloUnderAnotherSessionIdIsRefused() {
        byte[] other = PairIds.helloSessionId(b.address, b.address);
        refused(fromB(EnvelopeCodec.KIND_PAIR_HELLO, other, helloPayload(freshEphemeral(),
                b.token.identityPublicKey())), Status.Code.INVALID_ARGUMENT, "another session id", b.address);
    }

    @Test
    void aHelloThatDoesNotAuthenticateIsRefused() {
        PeerEnvelope e = fromB(EnvelopeCodec.KIND_PAIR_HELLO, helloId(), helloPayload(freshEphemeral(),
                b.token.identityPublicKey()));
        byte[] tag = e.getAuth().toByteArray();
        tag[0] ^= 1;
        refused(e.toBuilder().setAuth(ByteString.copyFrom(tag)).build(), Status.Code.UNAUTHENTICATED,
                "does not authenticate", b.address);
    }

    @Test
    void aHelloNamingAnotherIdentityKeyIsRefused() {
        refused(fromB(EnvelopeCodec.KIND_PAIR_HELLO, helloId(), helloPayload(freshEphemeral(),
                a.token.identityPublicKey())), Status.Code.FAILED_PRECONDITION, b.address);
    }

    @Test
    void aRoundWithoutARunningSetupIsRefused() {
        byte[] payload = new byte[2 + 12 + 16 + 130];
        payload[0] = 1;
        payload[1] = 1;
        refused(fromB(EnvelopeCodec.KIND_PAIR_ROUND, helloId(), payload), Status.Code.FAILED_PRECONDITION,
                "no pairwise setup is running with " + b.address);
    }

    @Test
    void aHelloWithALowOrderKeyFailsTheRunItStartsNamingThePeer() throws Exception {
        byte[] zero = new byte[32]; // u = 0: of low order, the X25519 output is all zero
        a.stub().deliver(fromB(EnvelopeCodec.KIND_PAIR_HELLO, helloId(), helloPayload(zero,
                b.token.identityPublicKey())));
        assertTrue(PartyCluster.await(() -> a.metrics.registry().get(PairMetrics.SETUPS).tags("outcome", "failed")
                .counter().count() == 1.0, 20));
        assertEquals(0, pairing().running());
        assertEquals(null, PairSetupClusterTest.row(a, b.address), "nothing stored");
    }
}
