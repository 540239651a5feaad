package io.keyfed.cli.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class LedgerJsonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsSnakeCaseCamelCaseAndNumbersAsStrings() throws Exception {
        var a = LedgerJson.txResult(json.readTree("{\"height\":\"12\",\"hash\":\"h\",\"outcome\":\"o\","
                + "\"createdAddress\":\"workspace1x\",\"key_request_id\":4}"));
        assertEquals(12, a.height());
        assertEquals("workspace1x", a.createdAddress());
        assertEquals(4, a.keyRequestId());
        var empty = LedgerJson.txResult(json.readTree("{}"));
        assertEquals(0, empty.height());
        assertEquals("", empty.createdAddress());
    }

    @Test
    void bytesAreHexWithBase64Fallback() throws Exception {
        assertArrayEquals(new byte[] {1, (byte) 0xab}, LedgerJson.bytes(json.readTree("{\"b\":\"01ab\"}"), "b"));
        assertArrayEquals(new byte[] {1, 2, 3}, LedgerJson.bytes(json.readTree("{\"b\":\"AQID\"}"), "b"));
        assertArrayEquals(new byte[0], LedgerJson.bytes(json.readTree("{}"), "b"));
    }

    @Test
    void queryStringsLeaveOutEmptyValuesAndEncode() {
        var q = new java.util.LinkedHashMap<String, String>();
        q.put("a", "x y");
        q.put("b", "");
        q.put("c", null);
        q.put("d", "p1,p2");
        assertEquals("?a=x+y&d=p1%2Cp2", LedgerClient.queryString(q));
        assertEquals("", LedgerClient.queryString(Map.of()));
        assertEquals("a%2Fb", LedgerClient.segment("a/b"));
    }
}
