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
    void sharesAreEncryptedUnderTheShareKeyWithTheHeaderAsAssociatedData() throws Exception {
        byte[] shared = new byte[32];
        Arrays.fill(shared, (byte) 3);
        byte[] ea = new byte[32];
        byte[] eb = new byte[32];
        Arrays.fill(ea, (byte) 1);
        Arrays.fill(eb, (byte) 2);
        ShareKey k = ShareKey.derive(shared, SID, "zen1a", "zen1b", ea, eb);
        byte[] header = EnvelopeCodec.header(5, SID, "zen1a", "zen1b", EnvelopeCodec.KIND_ROUND2);
        byte[] share = new byte[48];
        Arrays.fill(share, (byte) 0x5a);
        byte[] ct = EnvelopeCodec.encryptShare(k, header, share);
        assertTrue(ct.length == 12 + 48 + 16);
        assertFalse(containsRun(ct, (byte) 0x5a, 8), "ciphertext carries the plaintext");
        assertArrayEquals(share, EnvelopeCodec.openShare(k, header, ct));
        assertFalse(Arrays.equals(ct, EnvelopeCodec.encryptShare(k, header, share)), "fresh IV per message");
        // The header is bound by GCM, and each direction, session and key pair has its own key.
        assertThrows(GeneralSecurityException.class, () -> EnvelopeCodec.openShare(k,
                EnvelopeCodec.header(6, SID, "zen1a", "zen1b", EnvelopeCodec.KIND_ROUND2), ct));
        for (ShareKey other : new ShareKey[] { ShareKey.derive(shared, SID, "zen1b", "zen1a", eb, ea),
                ShareKey.derive(shared, PAIRWISE, "zen1a", "zen1b", ea, eb),
                ShareKey.derive(shared, SID, "zen1a", "zen1b", eb, ea) }) {
            assertThrows(GeneralSecurityException.class, () -> EnvelopeCodec.openShare(other, header, ct));
        }
        byte[] tampered = ct.clone();
        tampered[20] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> EnvelopeCodec.openShare(k, header, tampered));
        assertThrows(GeneralSecurityException.class, () -> EnvelopeCodec.openShare(k, header, new byte[20]));
        // The envelope carries it as it is: seal only authenticates.
        DirectionKeys mac = ChannelKeys.derive(PAIRWISE, SID, "zen1a", "zen1b");
        PeerEnvelope e = EnvelopeCodec.seal(mac, 5, SID, "zen1a", "zen1b", EnvelopeCodec.KIND_ROUND2, ct);
        assertArrayEquals(ct, e.getPayload().toByteArray());
        assertTrue(EnvelopeCodec.authentic(mac, e));
        k.destroy();
        mac.destroy();
        assertThrows(IllegalStateException.class, () -> EnvelopeCodec.openShare(k, header, ct));
        assertThrows(IllegalStateException.class, () -> EnvelopeCodec.authentic(mac, e));
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
