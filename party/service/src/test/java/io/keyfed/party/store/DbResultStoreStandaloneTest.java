package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.vertx.core.Vertx;

/**
 * {@link DbResultStore#open}: the store outside Quarkus, on a Vert.x instance and a pool of its own, against a
 * throwaway database on real PostgreSQL (the tests' shared {@link TestPostgres} server) with the party's Flyway
 * schema.
 */
class DbResultStoreStandaloneTest {
    private static TestPostgres.Database db;
    private static Vertx vertx;
    private static DbResultStore store;

    @BeforeAll
    static void start() {
        db = TestPostgres.shared().createDatabase("standalone");
        vertx = Vertx.vertx();
        store = DbResultStore.open(vertx, db.connectOptions(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        if (db != null) {
            db.close();
        }
    }

    private static StoredResult result(long id, String reason, int participant) {
        PartyResponse r = PartyResponse.newBuilder().setRequestId(id).setPartyAddr("zen1test")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason(reason)
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        byte[] session = new byte[32];
        session[31] = (byte) participant;
        return new StoredResult(id, 2, session, participant, new byte[] { 4, 5 }, new byte[] { 6, 7, 8 }, r);
    }

    @Test
    void storesOnceAndReadsBack() {
        long id = Long.parseUnsignedLong("18446744073709551615");
        assertTrue(store.find(id).isEmpty());
        StoredResult first = result(id, "first", 3);
        assertSame(first, store.putIfAbsent(first));
        StoredResult kept = store.putIfAbsent(result(id, "second", 1));
        assertEquals("first", kept.response().getRejectReason());
        StoredResult back = store.find(id).orElseThrow();
        assertEquals(id, back.requestId());
        assertEquals(2, back.keyType());
        assertEquals(3, back.participantId());
        assertArrayEquals(first.sessionId(), back.sessionId());
        assertArrayEquals(first.publicKeyPackage(), back.publicKeyPackage());
        assertArrayEquals(first.sealedShare(), back.sealedShare());
        assertEquals(first.response(), back.response());
    }
}
