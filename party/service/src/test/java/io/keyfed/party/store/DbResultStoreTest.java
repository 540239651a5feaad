package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The party's store against real PostgreSQL, inside the running party (Flyway schema, Hibernate Reactive). */
@QuarkusTest
@WithTestResource(PartyDatabaseTestResource.class)
class DbResultStoreTest {
    @Inject
    DbResultStore store;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    private static StoredResult result(long id, String reason, int participant) {
        PartyResponse r = PartyResponse.newBuilder().setRequestId(id).setPartyAddr("zen1test")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason(reason)
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        byte[] session = new byte[32];
        session[0] = (byte) participant;
        return new StoredResult(id, 1, session, participant, new byte[] { 1, 2, 3 }, new byte[] { 9, 8, 7, 6 }, r);
    }

    @Test
    void roundTripsEveryColumnIncludingUnsignedIds() {
        long id = Long.parseUnsignedLong("18446744073709551610");
        StoredResult r = result(id, "round trip", 2);
        assertEquals(r.response(), store.putIfAbsent(r).response());
        StoredResult back = store.find(id).orElseThrow();
        assertEquals(id, back.requestId());
        assertEquals(1, back.keyType());
        assertEquals(2, back.participantId());
        assertArrayEquals(r.sessionId(), back.sessionId());
        assertArrayEquals(r.publicKeyPackage(), back.publicKeyPackage());
        assertArrayEquals(r.sealedShare(), back.sealedShare());
        assertEquals(r.response(), back.response());
        assertTrue(store.contains(id));
        assertFalse(store.find(id - 1).isPresent());
    }

    @Test
    void neverOverwritesAStoredResult() {
        StoredResult first = result(501, "first", 1);
        StoredResult second = result(501, "second", 3);
        store.putIfAbsent(first);
        StoredResult kept = store.putIfAbsent(second);
        assertEquals("first", kept.response().getRejectReason());
        assertEquals(1, kept.participantId());
        assertEquals("first", store.find(501).orElseThrow().response().getRejectReason());
    }

    @Test
    void concurrentInsertsOfOneRequestAllSeeTheSameWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<StoredResult>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                StoredResult mine = result(777, "writer " + i, i + 1);
                futures.add(pool.submit(() -> {
                    go.await();
                    return store.putIfAbsent(mine);
                }));
            }
            go.countDown();
            Set<String> winners = new HashSet<>();
            for (Future<StoredResult> f : futures) {
                winners.add(f.get(60, TimeUnit.SECONDS).response().getRejectReason());
            }
            assertEquals(1, winners.size(), winners.toString());
            assertEquals(winners.iterator().next(), store.find(777).orElseThrow().response().getRejectReason());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void adminCheckAnswers404And409WithoutSecrets() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/admin/keys/424242/verify")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("no stored result for request 424242"), missing.body());
        store.putIfAbsent(result(9001, "rejected here", 1));
        HttpResponse<String> rejected = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/admin/keys/9001/verify")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertTrue(rejected.body().contains("it has no share"), rejected.body());
    }
}
