package io.keyfed.ledger.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.Txs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The tx log, rechecked from the outside the way `keyfed verify-log` does. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class TxLogRestTest {

    @Test
    void shouldChainEveryEntryFromZeroHash() {
        for (int i = 0; i < 3; i++) {
            LedgerRest.submit(TestKeys.account(7), b -> b.setSend(Txs.send(TestKeys.account(8).address(), "1")));
        }
        long head = LedgerRest.height();
        byte[] prev = new byte[32];
        long expected = 1;
        long from = 1;
        HexFormat hex = HexFormat.of();
        while (from != 0) {
            JsonPath page = given().get("/v1/txs?from_height=" + from + "&page_size=7").then().statusCode(200).extract()
                    .jsonPath();
            List<Map<String, Object>> txs = page.getList("txs");
            for (Map<String, Object> t : txs) {
                assertEquals(expected, ((Number) t.get("height")).longValue());
                assertEquals(hex.formatHex(prev), t.get("prev_hash"));
                byte[] hash = Hashes.sha256(prev, hex.parseHex((String) t.get("tx_bytes")),
                        ((String) t.get("outcome")).getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(hash, hex.parseHex((String) t.get("hash")), "hash mismatch at " + expected);
                prev = hash;
                expected++;
            }
            from = page.getLong("next_from_height");
        }
        assertTrue(expected - 1 >= head, "log shorter than the head height");
        given().get("/v1/txs/" + head).then().statusCode(200);
        given().get("/v1/status").then().statusCode(200)
                .body("hash", org.hamcrest.Matchers.equalTo(hex.formatHex(prev)));
        given().get("/v1/txs/" + "ab".repeat(32)).then().statusCode(404);
        given().get("/v1/txs/nothex").then().statusCode(400);
    }

    @Test
    void shouldServeOpenApiDocument() {
        given().get("/q/openapi").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/v1/treasury/keys/{id}"));
    }
}
