package io.keyfed.ledger.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.BroadcastTxRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.MsgNewKeyring;
import io.keyfed.api.ledger.v1.MsgNewSignatureRequest;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.api.ledger.v1.TxResult;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Keyrings with a sign fee, FULFILLED keys whose secret the test holds, and sign requests, over real gRPC. */
public final class SignSetup {
    public static final Duration WAIT = Duration.ofSeconds(30);

    private SignSetup() {
    }

    /** A keyring of {@code parties} with threshold {@code t}, key fee 0 and {@code sigFee} per message. */
    public static String keyring(TestKeys.TestAccount admin, int t, String sigFee, TestKeys.TestAccount... parties) {
        MsgNewKeyring.Builder b = MsgNewKeyring.newBuilder().setDescription("sign test keyring").setPartyThreshold(t)
                .setKeyReqFee("0").setSigReqFee(sigFee);
        for (TestKeys.TestAccount p : parties) {
            b.addParties(Txs.party(p));
        }
        return LedgerRest.submit(admin, x -> x.setNewKeyring(b.build())).getString("created_address");
    }

    /**
     * A key of {@code type} in {@code workspace}, made FULFILLED by the first t of {@code parties} reporting
     * {@code publicKey} (whose secret the test holds). Returns the key id.
     */
    public static long fulfilledKey(Ledger ledger, TestKeys.TestAccount owner, String workspace, String keyring,
            String type, byte[] publicKey, int t, TestKeys.TestAccount... parties) {
        long id = LedgerRest.newKeyRequest(owner, workspace, keyring, type, 0);
        KeyRequest req = ledger.getKeyRequest(KeyRequestByIdRequest.newBuilder().setId(id).build()).await().atMost(WAIT);
        KeyRequest last = req;
        for (TestKeys.TestAccount p : Arrays.copyOf(parties, t)) {
            last = ledger.fulfilKeyRequest(Parties.fulfil(p, req, publicKey)).await().atMost(WAIT);
        }
        assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED, last.getStatus(), last.getRejectReason());
        return id;
    }

    public static MsgNewSignatureRequest request(long keyId, List<byte[]> messages, long timeout, String maxFee) {
        return MsgNewSignatureRequest.newBuilder().setKeyId(keyId)
                .addAllMessages(messages.stream().map(ByteString::copyFrom).toList()).setTimeoutSeconds(timeout)
                .setMaxFee(maxFee).build();
    }

    /** The signed transaction carrying {@code m}, with the sender's current sequence. */
    public static byte[] tx(TestKeys.TestAccount from, MsgNewSignatureRequest m) {
        TxBody body = Txs.body(from, LedgerRest.sequence(from.address())).setNewSignatureRequest(m).build();
        return Txs.sign(from, body);
    }

    /** Submits {@code m} over gRPC BroadcastTx. */
    public static TxResult broadcast(Ledger ledger, TestKeys.TestAccount from, MsgNewSignatureRequest m) {
        return ledger.broadcastTx(BroadcastTxRequest.newBuilder().setTxBytes(ByteString.copyFrom(tx(from, m))).build())
                .await().atMost(WAIT);
    }

    /** The request as stored (read from its row: the ledger's query for it is another part). */
    public static SignRequest read(Pool pool, long id) {
        for (Row row : pool.preparedQuery("select data from sign_requests where id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT)) {
            try {
                return SignRequest.parseFrom(row.getBuffer("data").getBytes());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** How many sign requests are stored. */
    public static long count(Pool pool) {
        return pool.query("select count(*) from sign_requests").execute().await().atMost(WAIT).iterator().next()
                .getLong(0);
    }

    /** How many events of sign requests (kind 2) are stored for {@code id}. */
    public static long events(Pool pool, long id) {
        return pool.preparedQuery("select count(*) from request_events where kind = 2 and request_id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong(0);
    }
}
