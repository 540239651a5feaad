package io.keyfed.ledger.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.DoublePredicate;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.SignParties;
import io.keyfed.ledger.support.SignSetup;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.TestSigner;
import io.keyfed.platform.testing.PrometheusText;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Sign requests in the meters: counted when created and when final, and their escrowed fees in the escrow
 * balance gauge. Other tests share the application, so checks are on the change across this test's actions.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class SignRequestMetricsTest {
    private static final TestAccount OWNER = TestKeys.account(36);
    private static final TestAccount ADMIN = TestKeys.account(35);
    private static final TestAccount A = TestKeys.account(191);
    private static final TestSigner KEY = TestSigner.ed25519("metrics");

    @GrpcClient("ledger")
    Ledger ledger;

    private static double value(String name, String... labels) {
        return PrometheusText.sum(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString(), name,
                labels);
    }

    /** Bounded wait until the escrow gauge shows the escrow's balance; asserts on the value, not the time. */
    private static void awaitEscrowGauge() throws InterruptedException {
        String escrow = RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
        DoublePredicate shown = v -> v == LedgerRest.balance(escrow);
        double v = value(LedgerMetrics.ESCROW_BALANCE);
        for (int i = 0; i < 600 && !shown.test(v); i++) {
            Thread.sleep(50);
            v = value(LedgerMetrics.ESCROW_BALANCE);
        }
        assertEquals((double) LedgerRest.balance(escrow), v, "the escrow gauge includes the sign requests' fees");
    }

    @Test
    void signRequestsAreCountedAndTheirFeesShowInTheEscrowGauge() throws InterruptedException {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = SignSetup.keyring(ADMIN, 1, "1000", A);
        long key = SignSetup.fulfilledKey(ledger, OWNER, ws, kr, "ed25519", KEY.publicKey(), 1, A);
        double submitted = value(LedgerMetrics.SIGN_REQUESTS_SUBMITTED + "_total");
        double fulfilled = value(LedgerMetrics.SIGN_REQUESTS_FINISHED + "_total", "status=\"fulfilled\"");
        double rejected = value(LedgerMetrics.SIGN_REQUESTS_FINISHED + "_total", "status=\"rejected\"");

        SignRequest first = SignSetup.get(ledger, SignSetup.broadcast(ledger, OWNER,
                SignSetup.request(key, List.of(new byte[] { 1 }), 0, "")).getSignRequestId());
        SignRequest second = SignSetup.get(ledger, SignSetup.broadcast(ledger, OWNER,
                SignSetup.request(key, List.of(new byte[] { 2 }, new byte[] { 3 }), 0, "")).getSignRequestId());
        assertEquals(submitted + 2, value(LedgerMetrics.SIGN_REQUESTS_SUBMITTED + "_total"));
        awaitEscrowGauge();

        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_FULFILLED,
                ledger.fulfilSignatureRequest(SignParties.fulfil(A, first, KEY)).await().atMost(SignSetup.WAIT)
                        .getStatus());
        assertEquals(SignRequestStatus.SIGN_REQUEST_STATUS_REJECTED,
                ledger.fulfilSignatureRequest(SignParties.reject(A, second, "no share")).await().atMost(SignSetup.WAIT)
                        .getStatus());

        assertEquals(fulfilled + 1, value(LedgerMetrics.SIGN_REQUESTS_FINISHED + "_total", "status=\"fulfilled\""));
        assertEquals(rejected + 1, value(LedgerMetrics.SIGN_REQUESTS_FINISHED + "_total", "status=\"rejected\""));
        awaitEscrowGauge();
    }
}
