package io.keyfed.ledger.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.keyfed.api.ledger.v1.Account;
import io.keyfed.api.ledger.v1.BroadcastTxRequest;
import io.keyfed.api.ledger.v1.GetAccountRequest;
import io.keyfed.api.ledger.v1.GetBalanceRequest;
import io.keyfed.api.ledger.v1.GetKeyringRequest;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.api.ledger.v1.GetWorkspaceRequest;
import io.keyfed.api.ledger.v1.Ledger;
import io.keyfed.api.ledger.v1.ListWorkspacesRequest;
import io.keyfed.api.ledger.v1.Params;
import io.keyfed.api.ledger.v1.TxRecord;
import io.keyfed.api.ledger.v1.TxResult;
import io.keyfed.ledger.support.LedgerRest;
import io.keyfed.ledger.support.PostgresTestResource;
import io.keyfed.ledger.support.TestKeys;
import io.keyfed.ledger.support.TestKeys.TestAccount;
import io.keyfed.ledger.support.Txs;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The gRPC face: BroadcastTx, its status codes, and the queries. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class BroadcastTxGrpcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestAccount SENDER = TestKeys.account(12);
    private static final TestAccount RECEIVER = TestKeys.account(13);

    @GrpcClient("ledger")
    Ledger ledger;

    private Account account(TestAccount a) {
        return ledger.getAccount(GetAccountRequest.newBuilder().setAddress(a.address()).build()).await().atMost(WAIT);
    }

    private TxResult broadcast(byte[] tx) {
        return ledger.broadcastTx(BroadcastTxRequest.newBuilder().setTxBytes(ByteString.copyFrom(tx)).build()).await()
                .atMost(WAIT);
    }

    private void refused(byte[] tx, Status.Code code, String part) {
        Account before = account(SENDER);
        long height = LedgerRest.height();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> broadcast(tx));
        assertEquals(code, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(part), e.getStatus().getDescription());
        assertEquals(before, account(SENDER));
        assertEquals(height, LedgerRest.height());
    }

    @Test
    void shouldApplySignedSendAndServeItsRecord() {
        Account before = account(SENDER);
        TxResult r = broadcast(Txs.sign(SENDER, Txs.body(SENDER, before.getSequence())
                .setSend(Txs.send(RECEIVER.address(), "77")).build()));
        Account after = account(SENDER);
        assertEquals(before.getSequence() + 1, after.getSequence());
        assertEquals(Long.parseLong(before.getBalance()) - 77, Long.parseLong(after.getBalance()));
        assertArrayEquals(SENDER.publicKey(), after.getPublicKey().toByteArray());
        TxRecord byHeight = ledger.getTx(GetTxRequest.newBuilder().setHeight(r.getHeight()).build()).await().atMost(WAIT);
        TxRecord byHash = ledger.getTx(GetTxRequest.newBuilder().setHash(r.getHash()).build()).await().atMost(WAIT);
        assertEquals(byHeight, byHash);
        assertEquals("tx", byHash.getKind());
        assertEquals(r.getOutcome(), byHash.getOutcome());
        Params p = ledger.getParams(GetParamsRequest.getDefaultInstance()).await().atMost(WAIT);
        assertEquals(Long.toString(TestKeys.GENESIS_AMOUNT * TestKeys.FUNDED), p.getGenesisSupply());
        assertEquals(Long.parseLong(p.getGenesisSupply()), LedgerRest.totalBalances());
        assertEquals("urock", ledger.getBalance(GetBalanceRequest.newBuilder().setAddress(RECEIVER.address()).build())
                .await().atMost(WAIT).getDenom());
    }

    @Test
    void shouldAnswerStatusCodesForRefusals() {
        long seq = account(SENDER).getSequence();
        refused(new byte[] {1, 2, 3}, Status.Code.INVALID_ARGUMENT, "malformed protobuf");
        byte[] good = Txs.sign(SENDER, Txs.body(SENDER, seq).setSend(Txs.send(RECEIVER.address(), "1")).build());
        byte[] forged = Txs.sign(RECEIVER, Txs.body(SENDER, seq).setSend(Txs.send(RECEIVER.address(), "1")).build());
        refused(forged, Status.Code.PERMISSION_DENIED, "bad signature");
        refused(Txs.sign(SENDER, Txs.body(SENDER, seq + 5).setSend(Txs.send(RECEIVER.address(), "1")).build()),
                Status.Code.FAILED_PRECONDITION, "sequence");
        refused(Txs.sign(SENDER, Txs.body(SENDER, seq).setSend(Txs.send(RECEIVER.address(), "999999999999")).build()),
                Status.Code.FAILED_PRECONDITION, "insufficient funds");
        refused(Txs.sign(SENDER, Txs.body(SENDER, seq).setSend(Txs.send(RECEIVER.address(), "0")).build()),
                Status.Code.INVALID_ARGUMENT, "amount must be positive");
        broadcast(good);
        refused(good, Status.Code.FAILED_PRECONDITION, "replayed");
    }

    @Test
    void shouldServeQueriesAndNotFound() {
        String ws = LedgerRest.newWorkspace(SENDER, RECEIVER.address());
        assertEquals(2, ledger.getWorkspace(GetWorkspaceRequest.newBuilder().setAddress(ws).build()).await().atMost(WAIT)
                .getOwnersCount());
        assertTrue(ledger.listWorkspaces(ListWorkspacesRequest.newBuilder().setOwner(RECEIVER.address()).setPageSize(100)
                .build()).await().atMost(WAIT).getWorkspacesList().stream().anyMatch(w -> w.getAddress().equals(ws)));
        String missing = io.keyfed.api.crypto.Bech32.encode("keyring", new byte[20]);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ledger.getKeyring(
                GetKeyringRequest.newBuilder().setAddress(missing).build()).await().atMost(WAIT));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> ledger.getKeyring(
                GetKeyringRequest.newBuilder().setAddress("keyring1nope").build()).await().atMost(WAIT));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().contains("keyring1nope"));
    }
}
