package io.keyfed.ledger.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyfed.api.ledger.v1.TxBody;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A small REST client for tests: submit transactions and read state. */
public final class LedgerRest {
    private LedgerRest() {
    }

    public static long sequence(String address) {
        return given().get("/v1/auth/accounts/" + address).then().statusCode(200).extract().jsonPath()
                .getLong("sequence");
    }

    public static long balance(String address) {
        return Long.parseLong(given().get("/v1/bank/balances/" + address).then().statusCode(200).extract().jsonPath()
                .getString("amount"));
    }

    public static long height() {
        return given().get("/v1/status").then().statusCode(200).extract().jsonPath().getLong("height");
    }

    public static long totalBalances() {
        JsonPath j = given().get("/v1/bank/supply").then().statusCode(200).extract().jsonPath();
        return Long.parseLong(j.getString("total_balances"));
    }

    public static Response post(byte[] tx) {
        return given().contentType(ContentType.JSON).body(Txs.json(tx)).post("/v1/txs");
    }

    /** Signs {@code msg} (set on a body builder) with the sender's current sequence and submits it; expects 200. */
    public static JsonPath submit(TestKeys.TestAccount from, java.util.function.Consumer<TxBody.Builder> msg) {
        TxBody.Builder b = Txs.body(from, sequence(from.address()));
        msg.accept(b);
        Response r = post(Txs.sign(from, b.build()));
        assertEquals(200, r.statusCode(), () -> "tx refused: " + r.asString());
        return r.jsonPath();
    }

    public static String newWorkspace(TestKeys.TestAccount owner, String... more) {
        return submit(owner, b -> b.setNewWorkspace(Txs.newWorkspace(more))).getString("created_address");
    }

    public static String newKeyring(TestKeys.TestAccount admin, int threshold, String fee, TestKeys.TestAccount... parties) {
        return submit(admin, b -> b.setNewKeyring(Txs.newKeyring(threshold, fee, parties))).getString("created_address");
    }

    public static long newKeyRequest(TestKeys.TestAccount owner, String workspace, String keyring, String type,
            long timeout) {
        return submit(owner, b -> b.setNewKeyRequest(Txs.newKeyRequest(workspace, keyring, type, timeout)))
                .getLong("key_request_id");
    }
}
