package io.keyfed.party.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.session.PartyException;

class HeldMessagesTest {
    private static PeerEnvelope env(long id) {
        return PeerEnvelope.newBuilder().setRequestId(id).setKind(1).build();
    }

    @Test
    void boundsTakeAndExpiry() {
        HeldMessages h = new HeldMessages(2, 2, 1000);
        h.hold(env(1), 0);
        h.hold(env(1), 10);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(PartyException.class, () -> h.hold(env(1), 20)).code());
        h.hold(env(2), 500);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(PartyException.class, () -> h.hold(env(3), 30)).code());
        assertEquals(3, h.messageCount());
        assertEquals(2, h.take(1).size());
        assertEquals(0, h.take(1).size());
        h.hold(env(3), 600);
        assertEquals(0, h.expire(1499));
        assertEquals(1, h.expire(1500)); // request 2, held at 500
        assertEquals(1, h.requestCount());
        assertEquals(1, h.expire(10_000));
        assertEquals(0, h.messageCount());
    }
}
