package io.keyfed.party.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.session.PartyException;

class ResultStoreTest {
    private static Path freshDir() {
        return Path.of("target", "store-tests", UUID.randomUUID().toString());
    }

    private static StoredResult record(long id) {
        PartyResponse r = PartyResponse.newBuilder().setRequestId(id).setPartyAddr("zen1x")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(ByteString.copyFrom(new byte[33])).setSignature(ByteString.copyFrom(new byte[64])).build();
        return new StoredResult(id, 1, new byte[32], new byte[] { 1, 2, 3 }, new byte[] { 4, 5, 6, 7 }, r);
    }

    @Test
    void roundTripNoOverwriteAndListing() throws Exception {
        ResultStore s = new ResultStore(freshDir());
        assertTrue(s.find(1).isEmpty());
        s.put(record(1));
        s.put(record(-1L)); // u64 max as an unsigned id
        StoredResult back = s.find(1).orElseThrow();
        assertEquals(record(1).response(), back.response());
        assertArrayEquals(new byte[] { 1, 2, 3 }, back.publicKeyPackage());
        assertArrayEquals(new byte[] { 4, 5, 6, 7 }, back.sealedShare());
        assertEquals(1, back.keyType());
        assertTrue(back.fulfilled());
        assertEquals(Status.Code.ALREADY_EXISTS, assertThrows(PartyException.class, () -> s.put(record(1))).code());
        assertEquals(2, s.requestIds().size());
        assertTrue(s.requestIds().contains(-1L));
        try (var files = Files.list(s.directory())) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void corruptRecordsAreReportedNotRerun() throws Exception {
        ResultStore s = new ResultStore(freshDir());
        s.put(record(5));
        byte[] bytes = Files.readAllBytes(s.file(5));
        bytes[10] ^= 1;
        Files.write(s.file(5), bytes);
        PartyException e = assertThrows(PartyException.class, () -> s.find(5));
        assertEquals(Status.Code.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        // A record copied under another request's name is refused too.
        s.put(record(6));
        Files.copy(s.file(6), s.file(7));
        assertThrows(PartyException.class, () -> s.find(7));
    }

    @Test
    void leftoverTemporaryFilesFromACrashAreRemovedAtStart() throws Exception {
        Path dir = freshDir();
        new ResultStore(dir).put(record(3));
        Path tmp = dir.resolve(".request-4-abcdef.tmp");
        Files.write(tmp, new byte[] { 1, 2 });
        ResultStore reopened = new ResultStore(dir);
        assertFalse(Files.exists(tmp));
        assertEquals(List.of(3L), reopened.requestIds());
        assertTrue(reopened.find(4).isEmpty());
    }
}
