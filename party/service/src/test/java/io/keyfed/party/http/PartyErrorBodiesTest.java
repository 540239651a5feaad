package io.keyfed.party.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.store.PartyDatabaseTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The party's HTTP errors on its main port (gRPC only: /q/* and /admin are on the management port) carry the shared
 * {"code","message"} JSON body of every KeyFed service, over a real socket. 405 and 406 are shown on
 * {@link GetOnlyTestRoute}, a route of the tests.
 */
@QuarkusTest
@WithTestResource(PartyDatabaseTestResource.class)
class PartyErrorBodiesTest {
    @TestHTTPResource("/")
    URI http;

    private final HttpClient client = HttpClient.newHttpClient();

    private JsonObject error(HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonObject body = new JsonObject(r.body());
        assertEquals(2, body.size(), r.body());
        return body;
    }

    @Test
    void unknownPathIsNotFoundJsonNotHtml() throws Exception {
        JsonObject b = error(HttpRequest.newBuilder(http.resolve("/v1/nothing")), 404);
        assertEquals("NOT_FOUND", b.getString("code"));
        assertEquals("no such resource: /v1/nothing", b.getString("message"));
    }

    @Test
    void wrongMethodIsRefusedWithTheErrorBody() throws Exception {
        JsonObject b = error(HttpRequest.newBuilder(http.resolve(GetOnlyTestRoute.PATH)).DELETE(), 405);
        assertEquals("UNIMPLEMENTED", b.getString("code"));
        assertEquals("method DELETE is not allowed on " + GetOnlyTestRoute.PATH, b.getString("message"));
    }

    @Test
    void unacceptableMediaTypeIsRefusedWithTheErrorBody() throws Exception {
        JsonObject b = error(HttpRequest.newBuilder(http.resolve(GetOnlyTestRoute.PATH)).header("Accept", "image/png"),
                406);
        assertEquals("INVALID_ARGUMENT", b.getString("code"));
        assertTrue(b.getString("message").contains("accept application/json"), b.getString("message"));
    }

    @Test
    void bodyOverTheLimitIsRefusedWithTheErrorBody() throws Exception {
        byte[] body = new byte[11 * 1024 * 1024]; // over Quarkus's default limit of 10240K
        JsonObject b = error(HttpRequest.newBuilder(http.resolve("/q/health"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), 413);
        assertEquals("INVALID_ARGUMENT", b.getString("code"));
        assertTrue(b.getString("message").contains("over the limit of 10485760 bytes"), b.getString("message"));
    }

    @Test
    void uriOverTheLimitIsRefusedWithTheErrorBody() throws Exception {
        JsonObject b = error(HttpRequest.newBuilder(http.resolve("/q/health?pad=" + "a".repeat(5000))), 414);
        assertEquals("INVALID_ARGUMENT", b.getString("code"));
        assertTrue(b.getString("message").contains("at most 4096"), b.getString("message"));
    }
}
