package io.keyfed.party.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.keyfed.party.store.PartyDatabaseTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A client that sends half a request and then nothing does not keep the connection: the party closes it after its
 * idle timeout, on the main (gRPC) port and on the management port alike ({@code quarkus.http.idle-timeout},
 * {@code quarkus.management.idle-timeout}; 3 s in the test profile). The read waits far longer than that for the
 * end of the stream and fails if it never comes.
 */
@QuarkusTest
@WithTestResource(PartyDatabaseTestResource.class)
class HttpIdleTimeoutTest {
    private static final int GENEROUS_READ_TIMEOUT_MS = 120_000;

    @TestHTTPResource("/")
    URL main;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aHalfSentRequestIsClosedOnTheMainAndTheManagementPort() throws Exception {
        assertClosesHalfSentRequest(main);
        assertClosesHalfSentRequest(management);
    }

    private static void assertClosesHalfSentRequest(URL base) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(GENEROUS_READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            // The request line and one header, but never the blank line that ends the headers.
            out.write(("GET /q/health/ready HTTP/1.1\r\nHost: " + base.getHost() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError(base + ": the connection of a half-sent request was still open after "
                        + GENEROUS_READ_TIMEOUT_MS + " ms");
            }
            assertEquals(-1, read, base + ": the server answered a half-sent request instead of closing it");
        }
    }
}
