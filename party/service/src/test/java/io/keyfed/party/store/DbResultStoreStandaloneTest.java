package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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

    @Test
    void aPendingShareIsResolvedOnceAndNoRowIsEverDeleted() {
        long id = 31337;
        StoredResult pending = StoredResult.pending(id, 1, new byte[32], 2, new byte[] { 1, 2 }, new byte[] { 3, 4, 5 });
        assertSame(pending, store.putIfAbsent(pending));
        StoredResult read = store.find(id).orElseThrow();
        assertEquals(ShareState.PENDING, read.shareState());
        assertNull(read.response(), "no answer while pending");
        assertEquals(List.of(id), store.pendingShares().stream().map(StoredResult::requestId).toList());

        store.recordLedgerMismatch(id, new byte[] { 9, 9 });
        assertArrayEquals(new byte[] { 9, 9 }, store.find(id).orElseThrow().ledgerPublicKey());

        PartyResponse fulfilled = PartyResponse.newBuilder().setRequestId(id).setPartyAddr("zen1test")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED).setSignature(ByteString.copyFrom(new byte[64]))
                .build();
        StoredResult active = store.resolve(id, ShareState.ACTIVE, fulfilled);
        assertEquals(ShareState.ACTIVE, active.shareState());
        assertEquals(fulfilled, active.response());
        assertTrue(store.pendingShares().isEmpty());
        // resolved once: a later resolution changes nothing and reads the row back
        PartyResponse rejected = fulfilled.toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).build();
        StoredResult again = store.resolve(id, ShareState.RETIRED, rejected);
        assertEquals(ShareState.ACTIVE, again.shareState());
        assertEquals(fulfilled, again.response());

        // the database itself refuses a delete, and any other change of a resolved share's state
        RuntimeException delete = assertThrows(RuntimeException.class,
                () -> db.update("DELETE FROM party_key_record WHERE request_id = ?", id));
        assertTrue(String.valueOf(delete.getMessage()).contains("never deleted")
                || String.valueOf(delete.getCause()).contains("never deleted"), delete.toString());
        RuntimeException back = assertThrows(RuntimeException.class,
                () -> db.update("UPDATE party_key_record SET share_state = 'retired' WHERE request_id = ?", id));
        assertTrue(back.toString().contains("cannot change state")
                || String.valueOf(back.getCause()).contains("cannot change state"), back.toString());
        assertEquals(ShareState.ACTIVE, store.find(id).orElseThrow().shareState());
    }
}
