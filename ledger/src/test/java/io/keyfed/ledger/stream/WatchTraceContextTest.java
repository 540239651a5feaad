package io.keyfed.ledger.stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.keyfed.api.ledger.v1.KeyRequestEvent;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.WatchKeyRequestsRequest;
import io.keyfed.api.trace.TraceContext;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The trace context of a key request rides on its watch events: the submit's {@code traceparent} header is
 * continued by the commit, stored with the request and put on every event, the live ones and those replayed to
 * a watcher that comes back from cursor 0. (Tracing is off in tests: the trace id travels all the same.)
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class WatchTraceContextTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount OWNER = TestKeys.account(36);
    private static final TestAccount ADMIN = TestKeys.account(37);
    private static final String SUBMIT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @GrpcClient("ledger")
    Ledger ledger;

    private long requestKey(String ws, String kr, String traceparent) {
        TxBody.Builder b = Txs.body(OWNER, LedgerRest.sequence(OWNER.address()));
        b.setNewKeyRequest(Txs.newKeyRequest(ws, kr, "ecdsa", 0));
        var req = given().contentType(ContentType.JSON).body(Txs.json(Txs.sign(OWNER, b.build())));
        if (traceparent != null) {
            req = req.header("traceparent", traceparent);
        }
        Response r = req.post("/v1/txs");
        assertEquals(200, r.statusCode(), r.asString());
        return r.jsonPath().getLong("key_request_id");
    }

    private Cancellable watch(String keyring, List<KeyRequestEvent> into) {
        return ledger.watchKeyRequests(WatchKeyRequestsRequest.newBuilder().setKeyringAddr(keyring).build())
                .subscribe().with(into::add, failure -> { });
    }

    /** Bounded wait for an event of the request; the assertions are on its content, never on the time taken. */
    private static KeyRequestEvent await(List<KeyRequestEvent> seen, long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        Optional<KeyRequestEvent> e = Optional.empty();
        while (e.isEmpty() && System.currentTimeMillis() < deadline) {
            e = seen.stream().filter(x -> x.getRequest().getId() == id).findFirst();
            if (e.isEmpty()) {
                Thread.sleep(50);
            }
        }
        assertTrue(e.isPresent(), "no event of request " + id);
        return e.get();
    }

    @Test
    void theSubmitsTraceRidesOnLiveAndReplayedEvents() throws InterruptedException {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "10", TestKeys.account(136));
        List<KeyRequestEvent> live = new CopyOnWriteArrayList<>();
        Cancellable first = watch(kr, live);
        long traced = requestKey(ws, kr, SUBMIT);
        long untraced = requestKey(ws, kr, null);

        KeyRequestEvent e = await(live, traced);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", TraceContext.traceId(e.getTraceparent()), e.getTraceparent());
        KeyRequestEvent u = await(live, untraced);
        assertTrue(TraceContext.valid(u.getTraceparent()), "a request submitted without context gets a trace: "
                + u.getTraceparent());
        assertNotEquals(TraceContext.traceId(e.getTraceparent()), TraceContext.traceId(u.getTraceparent()));
        first.cancel();

        // A watcher that reconnects from cursor 0 gets the open requests replayed, with their stored context.
        List<KeyRequestEvent> replayed = new CopyOnWriteArrayList<>();
        Cancellable second = watch(kr, replayed);
        assertEquals(TraceContext.traceId(e.getTraceparent()),
                TraceContext.traceId(await(replayed, traced).getTraceparent()));
        assertEquals(TraceContext.traceId(u.getTraceparent()),
                TraceContext.traceId(await(replayed, untraced).getTraceparent()));
        second.cancel();
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() throws InterruptedException {
        String ws = LedgerRest.newWorkspace(OWNER);
        String kr = LedgerRest.newKeyring(ADMIN, 1, "10", TestKeys.account(137));
        List<KeyRequestEvent> live = new CopyOnWriteArrayList<>();
        Cancellable c = watch(kr, live);
        long id = requestKey(ws, kr, "00-not-a-trace-01");
        KeyRequestEvent e = await(live, id);
        assertTrue(TraceContext.valid(e.getTraceparent()), e.getTraceparent());
        c.cancel();
    }
}
