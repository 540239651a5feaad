package io.keyfed.party.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.party.v1.DeliverAck;
import io.keyfed.api.party.v1.DeliverBatchAck;
import io.keyfed.api.party.v1.DeliverResult;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.PeerEnvelopeBatch;
import io.keyfed.party.config.PeerDirectory;
import io.keyfed.party.session.PartyException;

/**
 * The batching client against scripted peers (real gRPC servers on free ports). Each DeliverBatch call
 * waits in the peer until the test answers it, so which envelopes share a call is deterministic.
 */
class PeerClientsBatchingTest {
    private static final String SELF = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(11)));
    private static final String PEER = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(12)));
    private static final String UNLISTED = Addresses.account("zen", Secp256k1.publicKeyOf(BigInteger.valueOf(13)));

    /** A DeliverBatch call the scripted peer has received and not yet answered. */
    record Call(PeerEnvelopeBatch batch, StreamObserver<DeliverBatchAck> observer) {
        List<Long> ids() {
            return batch.getEnvelopesList().stream().map(PeerEnvelope::getRequestId).toList();
        }

        void answer(Status.Code... codes) {
            DeliverBatchAck.Builder ack = DeliverBatchAck.newBuilder();
            for (Status.Code c : codes) {
                ack.addResults(DeliverResult.newBuilder().setCode(c.value())
                        .setMessage(c == Status.Code.OK ? "" : "refused: " + c));
            }
            observer.onNext(ack.build());
            observer.onCompleted();
        }

        void fail(Status status) {
            observer.onError(status.asRuntimeException());
        }
    }

    /** Holds every DeliverBatch call for the test to answer. */
    static final class ScriptedPeer extends PartyGrpc.PartyImplBase {
        final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

        @Override
        public void deliverBatch(PeerEnvelopeBatch request, StreamObserver<DeliverBatchAck> observer) {
            calls.add(new Call(request, observer));
        }

        Call next() throws InterruptedException {
            Call c = calls.poll(30, TimeUnit.SECONDS);
            assertNotNull(c, "no DeliverBatch call came");
            return c;
        }
    }

    /** A peer of an older version: unary Deliver only (DeliverBatch answers UNIMPLEMENTED). */
    static final class UnaryOnlyPeer extends PartyGrpc.PartyImplBase {
        final BlockingQueue<PeerEnvelope> delivered = new LinkedBlockingQueue<>();

        @Override
        public void deliver(PeerEnvelope request, StreamObserver<DeliverAck> observer) {
            delivered.add(request);
            observer.onNext(DeliverAck.getDefaultInstance());
            observer.onCompleted();
        }
    }

    /** A peer that is down: every DeliverBatch call fails with UNAVAILABLE; records when each arrived. */
    static final class DownPeer extends PartyGrpc.PartyImplBase {
        final List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void deliverBatch(PeerEnvelopeBatch request, StreamObserver<DeliverBatchAck> observer) {
            arrivals.add(System.currentTimeMillis());
            observer.onError(Status.UNAVAILABLE.withDescription("peer down").asRuntimeException());
        }
    }

    private ScheduledExecutorService scheduler;
    private Server server;
    private PeerClients clients;

    @BeforeEach
    void scheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        scheduler.shutdownNow();
    }

    private PeerClients clientsTo(PartyGrpc.PartyImplBase peer) throws IOException {
        server = NettyServerBuilder.forPort(0).addService(peer).build().start();
        PeerDirectory directory = PeerDirectory.parse(PEER + "@127.0.0.1:" + server.getPort(), "zen", SELF);
        clients = new PeerClients(directory, "zen", scheduler, 5_000);
        return clients;
    }

    private static PeerEnvelope envelope(long requestId) {
        return PeerEnvelope.newBuilder().setRequestId(requestId).setSessionId(ByteString.copyFrom(new byte[32]))
                .setSenderAddr(SELF).setRecipientAddr(PEER).setKind(1)
                .setPayload(ByteString.copyFromUtf8("payload " + requestId)).setAuth(ByteString.copyFrom(new byte[32]))
                .build();
    }

    private static long deadline() {
        return System.currentTimeMillis() + 60_000;
    }

    private static Throwable failure(CompletableFuture<Void> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void assertStatus(Status.Code code, String message, Throwable t) {
        StatusRuntimeException sre = assertInstanceOf(StatusRuntimeException.class, t);
        assertEquals(code, sre.getStatus().getCode());
        assertEquals(message, sre.getStatus().getDescription());
    }

    @Test
    void envelopesQueuedWhileACallIsInFlightLeaveTogetherInTheNextCall() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        CompletableFuture<Void> first = c.deliver(envelope(1), deadline());
        Call call1 = peer.next();
        assertEquals(List.of(1L), call1.ids(), "nothing in flight: the envelope leaves at once, alone");

        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (long id = 2; id <= 5; id++) {
            queued.add(c.deliver(envelope(id), deadline()));
        }
        assertTrue(peer.calls.isEmpty(), "one call in flight per peer");
        call1.answer(Status.Code.OK);
        assertNull(first.get(30, TimeUnit.SECONDS));

        Call call2 = peer.next();
        assertEquals(List.of(2L, 3L, 4L, 5L), call2.ids(), "everything queued meanwhile, in order, in one call");
        // Accepted; already there (a delivery); refused for good; transient (retried on its own).
        call2.answer(Status.Code.OK, Status.Code.ALREADY_EXISTS, Status.Code.PERMISSION_DENIED,
                Status.Code.RESOURCE_EXHAUSTED);
        assertNull(queued.get(0).get(30, TimeUnit.SECONDS));
        assertNull(queued.get(1).get(30, TimeUnit.SECONDS));
        assertStatus(Status.Code.PERMISSION_DENIED, "refused: PERMISSION_DENIED", failure(queued.get(2)));

        Call call3 = peer.next();
        assertEquals(List.of(5L), call3.ids(), "the transient refusal is retried");
        call3.answer(Status.Code.OK);
        assertNull(queued.get(3).get(30, TimeUnit.SECONDS));

        assertEquals(3, c.batchesSent());
        assertEquals(6, c.envelopesSent());
        assertEquals(0, c.unarySent());
    }

    @Test
    void aTransientFailureOfTheWholeCallRetriesItsEnvelopes() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        CompletableFuture<Void> f = c.deliver(envelope(1), deadline());
        peer.next().fail(Status.UNAVAILABLE.withDescription("peer restarting"));
        Call again = peer.next();
        assertEquals(List.of(1L), again.ids());
        again.answer(Status.Code.OK);
        assertNull(f.get(30, TimeUnit.SECONDS));
        assertEquals(2, c.batchesSent());
    }

    @Test
    void anInternalErrorOfThePeerIsRetriedAsTheSharedVocabularySays() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        CompletableFuture<Void> f = c.deliver(envelope(1), deadline());
        peer.next().fail(Status.INTERNAL.withDescription("internal error"));
        peer.next().answer(Status.Code.OK);
        assertNull(f.get(30, TimeUnit.SECONDS));
        assertEquals(2, c.batchesSent());
    }

    @Test
    void aPeerThatStaysDownIsRetriedUntilTheDeadlineAndNeverPastIt() throws Exception {
        DownPeer peer = new DownPeer();
        PeerClients c = clientsTo(peer);
        long deadline = System.currentTimeMillis() + 1_000;
        PartyException e = assertInstanceOf(PartyException.class, failure(c.deliver(envelope(1), deadline)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
        assertTrue(peer.arrivals.size() > 1, "retried: " + peer.arrivals.size() + " calls");
        // No call is started after the deadline (slack only for the call's way over the socket).
        assertTrue(peer.arrivals.get(peer.arrivals.size() - 1) <= deadline + 500, peer.arrivals + " vs " + deadline);
    }

    @Test
    void aLastingFailureOfTheWholeCallFailsItsEnvelopesOnly() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        CompletableFuture<Void> first = c.deliver(envelope(1), deadline());
        Call call1 = peer.next();
        CompletableFuture<Void> second = c.deliver(envelope(2), deadline());
        call1.fail(Status.PERMISSION_DENIED.withDescription("not a peer of this party"));
        assertStatus(Status.Code.PERMISSION_DENIED, "not a peer of this party", failure(first));

        Call call2 = peer.next();
        assertEquals(List.of(2L), call2.ids(), "the envelope queued meanwhile still leaves");
        call2.answer(Status.Code.OK, Status.Code.OK);
        assertStatus(Status.Code.INTERNAL, "party " + PEER + " answered 2 results for a batch of 1 envelopes",
                failure(second));
    }

    @Test
    void aPeerWithoutDeliverBatchGetsUnaryDeliverCalls() throws Exception {
        UnaryOnlyPeer peer = new UnaryOnlyPeer();
        PeerClients c = clientsTo(peer);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            sent.add(c.deliver(envelope(id), deadline()));
        }
        for (CompletableFuture<Void> f : sent) {
            assertNull(f.get(30, TimeUnit.SECONDS));
        }
        assertEquals(3, c.unarySent());
        long batches = c.batchesSent();
        assertTrue(batches >= 1, "DeliverBatch was tried first");

        // From now on the peer gets unary calls straight away.
        assertNull(c.deliver(envelope(4), deadline()).get(30, TimeUnit.SECONDS));
        assertEquals(batches, c.batchesSent());
        assertEquals(4, c.unarySent());
        List<Long> ids = new ArrayList<>();
        peer.delivered.forEach(e -> ids.add(e.getRequestId()));
        ids.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L), ids);
    }

    @Test
    void closingFailsEveryPendingDeliveryWithCancelled() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        CompletableFuture<Void> inFlight = c.deliver(envelope(1), deadline());
        peer.next();
        CompletableFuture<Void> queued = c.deliver(envelope(2), deadline());
        c.close();
        for (CompletableFuture<Void> f : List.of(inFlight, queued, c.deliver(envelope(3), deadline()))) {
            PartyException e = assertInstanceOf(PartyException.class, failure(f));
            assertEquals(Status.Code.CANCELLED, e.code());
        }
    }

    @Test
    void unknownPeersAndPastDeadlinesFailWithoutACall() throws Exception {
        ScriptedPeer peer = new ScriptedPeer();
        PeerClients c = clientsTo(peer);
        PartyException e = assertInstanceOf(PartyException.class,
                failure(c.deliver(envelope(1).toBuilder().setRecipientAddr(UNLISTED).build(), deadline())));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.code());
        e = assertInstanceOf(PartyException.class,
                failure(c.deliver(envelope(2), System.currentTimeMillis() - 1)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.code());
        assertEquals(0, c.batchesSent());
        assertTrue(peer.calls.isEmpty());
    }
}
