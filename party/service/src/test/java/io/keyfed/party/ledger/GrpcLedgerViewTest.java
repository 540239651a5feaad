package io.keyfed.party.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.party.session.PartyException;

/** The party's gRPC view of the ledger against a real gRPC Ledger server: lookups, retries, refusals. */
class GrpcLedgerViewTest {

    @Test
    void readsTheLedgersCopyAndRetriesTransientFailures() throws Exception {
        try (TestLedger ledger = TestLedger.start("chain-x")) {
            ledger.register(KeyRequest.newBuilder().setId(5).setPartyThreshold(2).build());
            LedgerView view = ledger.view();
            long deadline = System.currentTimeMillis() + 30_000;
            assertEquals("chain-x", view.chainId(deadline).get(30, TimeUnit.SECONDS));
            ledger.failNext(2, Status.UNAVAILABLE);
            Optional<KeyRequest> r = view.keyRequest(5, deadline).get(30, TimeUnit.SECONDS);
            assertEquals(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING, r.orElseThrow().getStatus());
            assertEquals(3, ledger.lookups(), "two transient failures, then the answer");
            assertEquals(Optional.empty(), view.keyRequest(6, deadline).get(30, TimeUnit.SECONDS), "unknown id");
        }
    }

    @Test
    void aRefusalThatIsNotTransientIsNotRetried() throws Exception {
        try (TestLedger ledger = TestLedger.start("chain-x")) {
            ledger.failNext(1, Status.PERMISSION_DENIED.withDescription("no"));
            ExecutionException e = assertThrows(ExecutionException.class, () -> ledger.view()
                    .keyRequest(5, System.currentTimeMillis() + 30_000).get(30, TimeUnit.SECONDS));
            PartyException pe = (PartyException) e.getCause();
            assertEquals(Status.Code.UNAVAILABLE, pe.code());
            assertTrue(pe.getMessage().contains("PERMISSION_DENIED"), pe.getMessage());
            assertEquals(1, ledger.lookups());
        }
    }

    @Test
    void anUnreachableLedgerIsUnavailableAtTheDeadline() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            LedgerView view = new GrpcLedgerView(MutinyLedgerGrpc.newMutinyStub(channel), channel, Duration.ofSeconds(1));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> view.keyRequest(5, System.currentTimeMillis() + 1_000).get(30, TimeUnit.SECONDS));
            PartyException pe = (PartyException) e.getCause();
            assertEquals(Status.Code.UNAVAILABLE, pe.code());
            assertTrue(pe.getMessage().contains("GetKeyRequest(5)"), pe.getMessage());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A ledger connection that takes calls and never answers (as one opened while the ledger restarts was seen to
     * do): the attempt times out and the next attempt opens a new connection instead of waiting on the stuck one.
     * Without the reset every retry goes to the first connection and the server sees one connection only.
     */
    @Test
    void aTimedOutAttemptMakesTheNextOneUseANewConnection() throws Exception {
        java.util.List<java.net.Socket> held = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // read nothing, answer nothing
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "silent-ledger");
            acceptor.setDaemon(true);
            acceptor.start();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", silent.getLocalPort()).usePlaintext()
                    .build();
            try {
                LedgerView view = new GrpcLedgerView(MutinyLedgerGrpc.newMutinyStub(channel), channel,
                        Duration.ofMillis(300));
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> view.keyRequest(5, System.currentTimeMillis() + 2_000).get(30, TimeUnit.SECONDS));
                assertEquals(Status.Code.UNAVAILABLE, ((PartyException) e.getCause()).code());
                assertTrue(held.size() >= 2, "the retries opened new connections: " + held.size());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                synchronized (held) {
                    for (java.net.Socket s : held) {
                        s.close();
                    }
                }
            }
        }
    }
}
