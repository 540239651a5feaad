package io.keyfed.party.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.PartyException;

class HeldMessagesTest {
    private static PeerEnvelope env(String sender, long id, int kind) {
        return PeerEnvelope.newBuilder().setSenderAddr(sender).setRequestId(id).setKind(kind).build();
    }

    @Test
    void eachPeerHasItsOwnBoundOverAllRequests() {
        HeldMessages h = new HeldMessages(2, 1000);
        h.hold(env("a", 1, 1), 0);
        h.hold(env("a", 2, 1), 10);
        PartyException full = assertThrows(PartyException.class, () -> h.hold(env("a", 3, 1), 20));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.code());
        assertTrue(full.getMessage().contains("from peer a") && full.getMessage().contains("max-held-per-peer"),
                full.getMessage());
        // Another peer is not affected by a's flood.
        h.hold(env("b", 1, 1), 20);
        h.hold(env("b", 3, 1), 20);
        assertEquals(2, h.messageCount("a"));
        assertEquals(2, h.messageCount("b"));
        assertEquals(4, h.messageCount());
        assertEquals(3, h.requestCount());
    }

    @Test
    void takeReturnsARequestsMessagesFromEverySenderAndFreesTheirRoom() {
        HeldMessages h = new HeldMessages(2, 1000);
        h.hold(env("a", 1, 1), 0);
        h.hold(env("a", 2, 1), 0);
        h.hold(env("b", 1, 1), 0);
        List<PeerEnvelope> taken = h.take(EnvelopeCodec.Protocol.DKG, 1);
        assertEquals(2, taken.size());
        assertTrue(taken.stream().allMatch(e -> e.getRequestId() == 1));
        assertEquals(List.of(), h.take(EnvelopeCodec.Protocol.DKG, 1));
        assertEquals(1, h.messageCount("a"));
        assertEquals(0, h.messageCount("b"));
        h.hold(env("a", 3, 1), 0); // room again after take
        assertEquals(2, h.messageCount("a"));
    }

    @Test
    void messagesExpireAfterTheTimeToLive() {
        HeldMessages h = new HeldMessages(2, 1000);
        h.hold(env("a", 1, 1), 0);
        h.hold(env("a", 2, 1), 500);
        h.hold(env("b", 3, 1), 600);
        assertEquals(0, h.expire(999));
        assertEquals(1, h.expire(1000)); // a's request 1, held at 0
        assertEquals(2, h.requestCount());
        // A full peer gets room when its oldest messages expire.
        h.hold(env("a", 4, 1), 1000);
        assertThrows(PartyException.class, () -> h.hold(env("a", 5, 1), 1499));
        h.hold(env("a", 5, 1), 1500); // request 2 (held at 500) expired on the way
        assertEquals(2, h.messageCount("a"));
        assertEquals(List.of(), h.take(EnvelopeCodec.Protocol.DKG, 2));
        assertEquals(1, h.take(EnvelopeCodec.Protocol.DKG, 4).size());
        assertEquals(1, h.take(EnvelopeCodec.Protocol.DKG, 5).size());
        assertEquals(1, h.expire(10_000)); // b's request 3
        assertEquals(0, h.messageCount());
    }

    @Test
    void aKeyRequestAndASignRequestWithTheSameIdAreHeldApart() {
        HeldMessages h = new HeldMessages(8, 1000);
        h.hold(env("a", 7, EnvelopeCodec.KIND_ROUND1), 0);
        h.hold(env("a", 7, EnvelopeCodec.KIND_SIGN_COMMIT), 0);
        assertEquals(2, h.requestCount());
        List<PeerEnvelope> signing = h.take(EnvelopeCodec.Protocol.FROST, 7);
        assertEquals(1, signing.size());
        assertEquals(EnvelopeCodec.KIND_SIGN_COMMIT, signing.get(0).getKind());
        List<PeerEnvelope> dkg = h.take(EnvelopeCodec.Protocol.DKG, 7);
        assertEquals(1, dkg.size());
        assertEquals(EnvelopeCodec.KIND_ROUND1, dkg.get(0).getKind());
    }
}
