package io.keyfed.api.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;

class PartyResponseSignBytesTest {
    private static final byte[] KEY = new byte[33];
    private static final byte[] SID = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 2);
        Arrays.fill(SID, (byte) 0x5a);
    }

    @Test
    void v2MatchesTheLayoutWrittenInItsJavadoc() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lp(out, "keyfed/party-response/v2".getBytes(StandardCharsets.US_ASCII));
        lp(out, utf8("keyfed-1"));
        out.writeBytes(ByteBuffer.allocate(8).putLong(9).array());
        lp(out, utf8("keyring1abc"));
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
        lp(out, utf8("zen1party"));
        out.write(3);
        lp(out, KEY);
        lp(out, new byte[0]);
        lp(out, SID);
        assertArrayEquals(out.toByteArray(), PartyResponseSignBytes.of("keyfed-1", 9, "keyring1abc",
                KeyType.KEY_TYPE_ECDSA_SECP256K1, "zen1party", KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, KEY, "",
                SID));
    }

    @Test
    void theSessionIdIsBound() {
        byte[] other = SID.clone();
        other[31] ^= 1;
        assertFalse(Arrays.equals(sign(SID), sign(other)));
        assertFalse(Arrays.equals(sign(SID), PartyResponseSignBytes.ofV1("keyfed-1", 9, "keyring1abc",
                KeyType.KEY_TYPE_ECDSA_SECP256K1, "zen1party", KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, KEY, "")));
    }

    @Test
    void refusesASessionIdOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> sign(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> sign(null));
    }

    private static byte[] sign(byte[] sid) {
        return PartyResponseSignBytes.of("keyfed-1", 9, "keyring1abc", KeyType.KEY_TYPE_ECDSA_SECP256K1, "zen1party",
                KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, KEY, "", sid);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void lp(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }
}
