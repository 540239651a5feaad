package io.keyfed.ledger.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.grpc.StatusRuntimeException;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.ledger.stream.KeyRequestWatchServer;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.Parties;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.sqlclient.Pool;
import io.keyfed.platform.testing.PrometheusText;

/**
 * The ledger's meters as Prometheus scrapes them: GET /q/metrics (no credential) after a key request, its
 * answers (accepted, repeated, refused) and a watch stream. Other tests share the application, so every check
 * is on the change across this test's own actions.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class LedgerMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(14);
    private static final TestAccount ADMIN = TestKeys.account(15);
    private static final TestAccount P1 = TestKeys.account(161);
    private static final TestAccount P2 = TestKeys.account(162);
    private static final TestAccount P3 = TestKeys.account(163);
    private static final TestAccount OUTSIDER = TestKeys.account(169);
    private static final byte[] GROUP_KEY = Secp256k1.publicKeyOf(BigInteger.valueOf(424242));
    private static final String ECDSA = "type=\"ecdsa_secp256k1\"";

    @GrpcClient("ledger")
    Ledger ledger;

    @Inject
    KeyRequestWatchServer watcher;

    @Inject
    Pool pool;

    private static String scrape() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double value(String name, String... labels) {
        return PrometheusText.sum(scrape(), name, labels);
    }

    /** Bounded wait until a sample satisfies {@code ok}; asserts on the value, never on the time taken. */
    private static double await(DoublePredicate ok, String name, String... labels) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double v = value(name, labels);
        while (!ok.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            v = value(name, labels);
        }
        return v;
    }

    private KeyRequest fulfil(PartyResponse r) {
        return ledger.fulfilKeyRequest(r).await().atMost(WAIT);
    }

    @Test
    void shouldCountARequestItsAnswersAndItsTimeToFinal() throws InterruptedException {
        double submitted = value("keyfed_ledger_key_requests_submitted_total", ECDSA);
        double fulfilled = value("keyfed_ledger_key_requests_finished_total", ECDSA, "status=\"fulfilled\"");
        double timed = value("keyfed_ledger_key_request_duration_seconds_count", ECDSA, "status=\"fulfilled\"");
        double accepted = value("keyfed_ledger_party_answers_total", "outcome=\"accepted\"");
        double duplicate = value("keyfed_ledger_party_answers_total", "outcome=\"duplicate\"");
        double notAuthorised = value("keyfed_ledger_party_answers_total", "reason=\"not_authorised\"");
        double late = value("keyfed_ledger_party_answers_total", "reason=\"already_final\"");
        double commits = value("keyfed_ledger_commit_batch_size_count");

        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 2, "100", P1, P2, P3);
        long id = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build())
                .await().atMost(WAIT);
        fulfil(Parties.fulfil(P1, req, GROUP_KEY));
        fulfil(Parties.fulfil(P1, req, GROUP_KEY)); // a connector's retry
        assertThrows(StatusRuntimeException.class, () -> fulfil(Parties.fulfil(OUTSIDER, req, GROUP_KEY)));
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, fulfil(Parties.fulfil(P2, req, GROUP_KEY)).getStatus());
        // P3's answer after FULFILLED is a holder attestation: accepted, and the request is not finished twice
        assertEquals(3, fulfil(Parties.fulfil(P3, req, GROUP_KEY)).getHoldersCount());
        long rejectedId = LedgerRest.newKeyRequest(OWNER, ws, kr, "ecdsa", 0);
        KeyRequest rejected = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(rejectedId).build())
                .await().atMost(WAIT);
        fulfil(Parties.reject(P1, rejected, "no share"));
        assertThrows(StatusRuntimeException.class, () -> fulfil(Parties.fulfil(P2, rejected, GROUP_KEY)));

        assertEquals(submitted + 2, value("keyfed_ledger_key_requests_submitted_total", ECDSA));
        assertEquals(fulfilled + 1, value("keyfed_ledger_key_requests_finished_total", ECDSA, "status=\"fulfilled\""));
        assertEquals(timed + 1, value("keyfed_ledger_key_request_duration_seconds_count", ECDSA,
                "status=\"fulfilled\""));
        assertTrue(value("keyfed_ledger_key_request_duration_seconds_bucket", ECDSA, "status=\"fulfilled\"",
                "le=\"+Inf\"") >= timed + 1, "the duration is a Prometheus histogram");
        assertEquals(accepted + 4, value("keyfed_ledger_party_answers_total", "outcome=\"accepted\""));
        assertEquals(duplicate + 1, value("keyfed_ledger_party_answers_total", "outcome=\"duplicate\""));
        assertEquals(notAuthorised + 1, value("keyfed_ledger_party_answers_total", "outcome=\"refused\"",
                "reason=\"not_authorised\""));
        assertEquals(late + 1, value("keyfed_ledger_party_answers_total", "outcome=\"refused\"",
                "reason=\"already_final\""));
        // workspace, keyring, request and two applied answers: at least one commit each (a batch counts once)
        assertTrue(value("keyfed_ledger_commit_batch_size_count") > commits);
        assertTrue(value("keyfed_ledger_commit_batch_size_sum") >= 5);

        String escrow = RestAssured.get("/v1/params").then().extract().jsonPath().getString("escrow_address");
        long expected = LedgerRest.balance(escrow);
        assertEquals(expected, await(v -> v == expected, "keyfed_ledger_escrow_balance"),
                "the escrow gauge follows the committed balance");
    }

    /** A request created before a restart or by another replica: its creation time is read back from the log. */
    @Test
    void shouldReadBackTheCreationTimeOfARequestCreatedElsewhere() throws Exception {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "1", P1);
        long id = LedgerRest.newKeyRequest(OWNER, ws, kr, "ed25519", 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build())
                .await().atMost(WAIT);
        long logged = RestAssured.get("/v1/txs/" + req.getCreatedHeight()).then().statusCode(200).extract()
                .jsonPath().getLong("time_unix_ms");
        CompletableFuture<Long> read = new CompletableFuture<>();
        new OpenRequests(pool, () -> 60).finished(id, req.getCreatedHeight(), read::complete);
        assertEquals(logged, read.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    /**
     * Subscribes to the watch service bean directly: over the unified HTTP/gRPC port the server is not told when
     * a streaming client goes away (quarkusio/quarkus#46986), so a cancellation cannot be observed through a socket.
     */
    @Test
    void shouldCountOpenWatchStreams() throws InterruptedException {
        String kr = LedgerRest.newKeyring(ADMIN, 1, "1", P1);
        double before = value("keyfed_ledger_watch_subscribers");
        Cancellable stream = watcher.watch(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(kr).build())
                .subscribe().with(e -> { }, failure -> { });
        double open = value("keyfed_ledger_watch_subscribers");
        assertTrue(open >= before + 1, "open streams " + open + ", before " + before);
        stream.cancel();
        double closed = value("keyfed_ledger_watch_subscribers");
        assertTrue(closed <= open - 1, "open streams " + closed + " after cancelling one of " + open);
    }
}
