package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.grpc.Status;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.session.PartyException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The party's store against real PostgreSQL, inside the running party (Flyway schema, the Quarkus-managed
 * reactive pool). Rows are tampered with through that same pool, as someone editing the database would.
 */
@QuarkusTest
@WithTestResource(PartyDatabaseTestResource.class)
class DbResultStoreTest {
    @Inject
    DbResultStore store;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

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
        assertSame(first, store.putIfAbsent(first));
        StoredResult kept = store.putIfAbsent(second);
        assertSameRow(first, kept);
        assertSameRow(first, store.find(501).orElseThrow());
        // a third writer, and a repeat of the first, still get the first row
        assertSameRow(first, store.putIfAbsent(result(501, "third", 2)));
        assertSameRow(first, store.putIfAbsent(first));
    }

    @Test
    void findOfAMissingRequestIsEmpty() {
        assertTrue(store.find(123_456_789L).isEmpty());
        assertFalse(store.contains(123_456_789L));
        assertTrue(store.find(-1L).isEmpty()); // 2^64-1 unsigned
    }

    @Test
    void twoThreadsInsertingOneRequestGetTheSameRow() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (long id = 3000; id < 3020; id++) {
                StoredResult a = result(id, "thread a", 1);
                StoredResult b = result(id, "thread b", 2);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<StoredResult> fa = threads.submit(() -> {
                    together.await();
                    return store.putIfAbsent(a);
                });
                Future<StoredResult> fb = threads.submit(() -> {
                    together.await();
                    return store.putIfAbsent(b);
                });
                StoredResult ra = fa.get(60, TimeUnit.SECONDS);
                StoredResult rb = fb.get(60, TimeUnit.SECONDS);
                assertSameRow(ra, rb);
                assertSameRow(ra, store.find(id).orElseThrow());
                assertTrue(ra.response().equals(a.response()) || ra.response().equals(b.response()), ra.toString());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aCorruptStoredResponseIsAClearInternalError() {
        long id = 4242;
        byte[] session = new byte[32];
        // a length-delimited field announcing 5 bytes where 1 follows: not a PartyResponse
        byte[] corrupt = { 0x22, 0x05, 0x01 };
        pool.preparedQuery("INSERT INTO party_key_record (request_id, key_type, session_id, participant_id,"
                + " public_key_package, sealed_share, response) VALUES ($1, 1, $2, 1, $3, $3, $4)")
                .execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.of(id, Buffer.buffer(session),
                        Buffer.buffer(new byte[0]), Buffer.buffer(corrupt))))
                .await().indefinitely();
        PartyException onFind = assertThrows(PartyException.class, () -> store.find(id));
        assertEquals(Status.Code.INTERNAL, onFind.code());
        assertTrue(onFind.getMessage().contains("stored result of request 4242 is corrupt"), onFind.getMessage());
        // the corrupt row is kept: a new result for the request is neither stored nor answered
        PartyException onPut = assertThrows(PartyException.class, () -> store.putIfAbsent(result(id, "new", 1)));
        assertEquals(Status.Code.INTERNAL, onPut.code());
        assertTrue(onPut.getMessage().contains("stored result of request 4242 is corrupt"), onPut.getMessage());
        byte[] stored = pool.preparedQuery("SELECT response FROM party_key_record WHERE request_id = $1")
                .execute(Tuple.newInstance(io.vertx.sqlclient.Tuple.of(id))).await().indefinitely()
                .iterator().next().getDelegate().getBuffer(0).getBytes();
        assertArrayEquals(corrupt, stored);
    }

    @Test
    void aRefusedInsertNamesTheRequestAndNoColumnContent() {
        // a 31-byte session id breaks the table's check constraint
        PartyResponse r = PartyResponse.newBuilder().setRequestId(5150).setPartyAddr("zen1test")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason("short session")
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        byte[] sealed = { (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x5e, (byte) 0xc2 };
        StoredResult bad = new StoredResult(5150, 1, new byte[31], 1, new byte[] { 1 }, sealed, r);
        PartyException e = assertThrows(PartyException.class, () -> store.putIfAbsent(bad));
        assertEquals(Status.Code.INTERNAL, e.code());
        assertTrue(e.getMessage().startsWith("cannot store the result of request 5150: "), e.getMessage());
        assertTrue(e.getMessage().contains("party_key_record_session_id_length"), e.getMessage());
        assertFalse(e.getMessage().toLowerCase().contains(HexFormat.of().formatHex(sealed)), e.getMessage());
        assertTrue(store.find(5150).isEmpty());
    }

    @Test
    void refusesToBlockAnEventLoop() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        vertx.getDelegate().runOnContext(ignored -> {
            try {
                store.find(1);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Throwable t = outcome.get(60, TimeUnit.SECONDS);
        PartyException e = assertInstanceOf(PartyException.class, t);
        assertEquals(Status.Code.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("must not be called on an event loop"), e.getMessage());
    }

    private static void assertSameRow(StoredResult expected, StoredResult actual) {
        assertEquals(expected.requestId(), actual.requestId());
        assertEquals(expected.keyType(), actual.keyType());
        assertEquals(expected.participantId(), actual.participantId());
        assertArrayEquals(expected.sessionId(), actual.sessionId());
        assertArrayEquals(expected.publicKeyPackage(), actual.publicKeyPackage());
        assertArrayEquals(expected.sealedShare(), actual.sealedShare());
        assertEquals(expected.response(), actual.response());
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
}
