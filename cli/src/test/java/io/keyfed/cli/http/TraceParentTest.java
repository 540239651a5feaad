package io.keyfed.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

class TraceParentTest {
    private HttpServer server;
    private final List<String> headers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            headers.add(String.valueOf(ex.getRequestHeaders().getFirst("traceparent")));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LedgerClient client() {
        return new LedgerClient("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void generatedValuesAreValidSampledAndDistinct() {
        String a = TraceParent.generate();
        String b = TraceParent.generate();
        assertTrue(TraceParent.valid(a), a);
        assertTrue(a.endsWith("-01"), a);
        assertNotEquals(TraceParent.traceId(a), TraceParent.traceId(b));
        assertEquals(32, TraceParent.traceId(a).length());
    }

    @Test
    void malformedValuesAreNotValid() {
        for (String bad : new String[] { null, "", "00-abc-def-01", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" }) {
            assertFalse(TraceParent.valid(bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> TraceParent.traceId("nope"));
    }

    @Test
    void eachPostCarriesATraceparentAndAGivenOneIsSentAsIs() throws Exception {
        LedgerClient c = client();
        String mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        c.post("/v1/txs", c.mapper().createObjectNode(), mine);
        c.post("/v1/txs", c.mapper().createObjectNode());
        c.post("/v1/txs", c.mapper().createObjectNode(), "not-a-traceparent");
        assertEquals(mine, headers.get(0));
        assertTrue(TraceParent.valid(headers.get(1)), headers.get(1));
        assertEquals("null", headers.get(2), "an invalid value is left out");
    }

    @Test
    void getsCarryNoTraceparent() throws Exception {
        client().get("/v1/params");
        assertEquals("null", headers.get(0));
    }
}
