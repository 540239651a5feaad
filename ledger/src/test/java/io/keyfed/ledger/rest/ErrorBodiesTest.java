package io.keyfed.ledger.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.keyfed.ledger.support.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every HTTP error of the ledger, its own or the framework's, has the {"code","message"} JSON body. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class ErrorBodiesTest {

    private static void jsonError(ValidatableResponse r, int status, String code, String messagePart) {
        r.statusCode(status).contentType(startsWith("application/json")).body("code", equalTo(code))
                .body("message", containsString(messagePart));
    }

    @Test
    void unknownPathIsNotFoundWithTheErrorBody() {
        jsonError(given().get("/v1/no-such-thing").then(), 404, "NOT_FOUND", "no such resource: /v1/no-such-thing");
        jsonError(given().get("/elsewhere").then(), 404, "NOT_FOUND", "no such resource: /elsewhere");
    }

    @Test
    void wrongMethodIsRefusedWithTheErrorBody() {
        jsonError(given().delete("/v1/txs").then(), 405, "UNIMPLEMENTED", "method DELETE is not allowed on /v1/txs");
    }

    @Test
    void unacceptableMediaTypeIsRefusedWithTheErrorBody() {
        jsonError(given().accept("text/csv").get("/v1/params").then(), 406, "INVALID_ARGUMENT",
                "accept application/json");
    }

    @Test
    void bodyOverTheLimitIsRefusedWithTheErrorBody() {
        String body = "{\"tx_bytes\":\"" + "A".repeat(400 * 1024) + "\"}";
        jsonError(given().contentType(ContentType.JSON).body(body).post("/v1/txs").then(), 413, "INVALID_ARGUMENT",
                "over the limit of 262144 bytes");
    }

    @Test
    void uriOverTheLimitIsRefusedWithTheErrorBody() {
        jsonError(given().get("/v1/params?pad=" + "a".repeat(5000)).then(), 414, "INVALID_ARGUMENT",
                "request URI has 5015 characters, at most 4096");
    }
}
