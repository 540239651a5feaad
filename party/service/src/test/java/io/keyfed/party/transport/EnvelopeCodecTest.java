package io.keyfed.party.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.party.v1.PeerEnvelope;

class EnvelopeCodecTest {
    private static final byte[] PAIRWISE = new byte[32];
    private static final byte[] SID = new byte[32];

    static {
        Arrays.fill(PAIRWISE, (byte) 7);
        Arrays.fill(SID, (byte) 9);
    }

    @Test
    void authenticatesEveryHeaderFieldAndThePayload() {
        DirectionKeys k = ChannelKeys.derive(PAIRWISE, SID, "zen1a", "zen1b");
        PeerEnvelope e = EnvelopeCodec.seal(k, 5, SID, "zen1a", "zen1b", 1, new byte[] { 1, 2, 3 });
        assertTrue(EnvelopeCodec.authentic(k, e));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setRequestId(6).build()));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setSessionId(ByteString.copyFrom(new byte[32])).build()));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setSenderAddr("zen1c").build()));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setRecipientAddr("zen1c").build()));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setKind(2).build()));
        assertFalse(EnvelopeCodec.authentic(k, e.toBuilder().setPayload(ByteString.copyFrom(new byte[] { 1, 2, 4 }))
                .build()));
        // The other direction and another session have other keys.
        assertFalse(EnvelopeCodec.authentic(ChannelKeys.derive(PAIRWISE, SID, "zen1b", "zen1a"), e));
        byte[] otherSid = SID.clone();
        otherSid[0] = 0;
        assertFalse(EnvelopeCodec.authentic(ChannelKeys.derive(PAIRWISE, otherSid, "zen1a", "zen1b"), e));
    }

    @Test
    void sharesAreEncryptedWithTheHeaderAsAssociatedData() throws Exception {
        DirectionKeys k = ChannelKeys.derive(PAIRWISE, SID, "zen1a", "zen1b");
        byte[] share = new byte[48];
        Arrays.fill(share, (byte) 0x5a);
        PeerEnvelope e = EnvelopeCodec.seal(k, 5, SID, "zen1a", "zen1b", 3, share);
        byte[] payload = e.getPayload().toByteArray();
        assertTrue(payload.length == 12 + 48 + 16);
        assertFalse(containsRun(payload, (byte) 0x5a, 8), "payload carries the plaintext");
        assertArrayEquals(share, EnvelopeCodec.open(k, e));
        PeerEnvelope second = EnvelopeCodec.seal(k, 5, SID, "zen1a", "zen1b", 3, share);
        assertFalse(Arrays.equals(payload, second.getPayload().toByteArray()), "fresh IV per message");
        // Header fields are bound by GCM too.
        assertThrows(GeneralSecurityException.class, () -> EnvelopeCodec.open(k, e.toBuilder().setRequestId(6).build()));
        byte[] tampered = payload.clone();
        tampered[20] ^= 1;
        assertThrows(GeneralSecurityException.class,
                () -> EnvelopeCodec.open(k, e.toBuilder().setPayload(ByteString.copyFrom(tampered)).build()));
        assertThrows(GeneralSecurityException.class,
                () -> EnvelopeCodec.open(k, e.toBuilder().setPayload(ByteString.copyFrom(new byte[20])).build()));
        k.destroy();
        assertThrows(IllegalStateException.class, () -> EnvelopeCodec.authentic(k, e));
        assertFalse(k.toString().contains("5a"));
    }

    private static boolean containsRun(byte[] b, byte v, int run) {
        int n = 0;
        for (byte x : b) {
            n = x == v ? n + 1 : 0;
            if (n >= run) {
                return true;
            }
        }
        return false;
    }

    @Test
    void pairInfoIsOrderIndependent() {
        assertArrayEquals(ChannelKeys.pairInfo("zen1a", "zen1b"), ChannelKeys.pairInfo("zen1b", "zen1a"));
        assertFalse(Arrays.equals(ChannelKeys.pairInfo("zen1a", "zen1b"), ChannelKeys.pairInfo("zen1a", "zen1c")));
    }
}
