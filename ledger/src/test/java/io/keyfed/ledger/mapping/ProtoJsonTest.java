package io.keyfed.ledger.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.ledger.v1.KeyResponse;

/** REST JSON conventions: snake_case, hex bytes, full enum names, numbers, every field present. */
class ProtoJsonTest {

    @Test
    void shouldRenderByTheJsonConventions() {
        KeyRequest r = KeyRequest.newBuilder().setId(7).setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PARTIAL)
                .setFee("100").setPublicKey(ByteString.copyFrom(new byte[] {(byte) 0xAB, 1}))
                .addParties(KeyringParty.newBuilder().setAddress("zen1x").setPublicKey(ByteString.copyFrom(new byte[] {2})))
                .setDeadlineUnixMs(1234).setPartyThreshold(2).build();
        Map<String, Object> m = ProtoJson.toMap(r);
        assertEquals(new java.math.BigInteger("7"), m.get("id"));
        assertEquals("KEY_REQUEST_STATUS_PARTIAL", m.get("status"));
        assertEquals("KEY_TYPE_UNSPECIFIED", m.get("key_type"));
        assertEquals("100", m.get("fee"));
        assertEquals("ab01", m.get("public_key"));
        assertEquals(1234L, m.get("deadline_unix_ms"));
        assertEquals(2L, m.get("party_threshold"));
        assertEquals("", m.get("reject_reason"));
        assertEquals(List.of(), m.get("keyring_party_sigs"));
        assertEquals(List.of(Map.of("address", "zen1x", "public_key", "02")), m.get("parties"));
    }

    @Test
    void shouldOmitUnsetOneofAndShowUnsetMessagesAsNull() {
        Map<String, Object> tx = ProtoJson.toMap(GetTxRequest.newBuilder().setHeight(3).build());
        assertEquals(Map.of("height", new java.math.BigInteger("3")), tx);
        assertEquals(null, ProtoJson.toMap(KeyResponse.getDefaultInstance()).get("key"));
    }
}
