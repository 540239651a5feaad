package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@link DbResultStore#open}: the store outside Quarkus, on a Vert.x instance and a pool of its own, against a
 * throwaway real PostgreSQL with the party's Flyway schema.
 */
class DbResultStoreStandaloneTest {
    private static EmbeddedPostgres pg;
    private static Vertx vertx;
    private static DbResultStore store;

    @BeforeAll
    static void start() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(tmp);
        pg = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(Files.createTempDirectory(tmp, "party-pg-standalone").toFile()).start();
        Flyway.configure().dataSource(pg.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
        vertx = Vertx.vertx();
        store = DbResultStore.open(vertx, new PgConnectOptions().setHost("localhost").setPort(pg.getPort())
                .setDatabase("postgres").setUser("postgres").setPassword("postgres"), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        if (pg != null) {
            pg.close();
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
