package io.keyfed.party.ledger;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignRequestByIdRequest;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.KeyRequestByIdRequest;
import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.MutinyLedgerGrpc;
import io.keyfed.api.ledger.v1.Params;

/**
 * A small real gRPC Ledger for the party tests, on a free port of the loopback interface: GetParams (the chain
 * id) and GetKeyRequest for the requests a test registers; anything else is UNIMPLEMENTED, and an unregistered
 * id is NOT_FOUND, as from the real ledger.
 */
public final class TestLedger implements AutoCloseable {
    private final String chainId;
    private final Map<Long, KeyRequest> requests = new ConcurrentHashMap<>();
    private final AtomicLong lookups = new AtomicLong();
    private final Map<Long, SignRequest> signRequests = new ConcurrentHashMap<>();
    /** GetKeyRequest calls kept unanswered while paused. */
    private final java.util.List<Runnable> parked = new java.util.ArrayList<>();
    private boolean paused;
    /** GetKeyRequest calls still to be failed with {@link #failing}. */
    private int failures;
    private Status failing;
    private final Server server;
    private ManagedChannel channel;

    private TestLedger(String chainId) throws IOException {
        this.chainId = chainId;
        server = NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .addService(new Service()).build().start();
    }

    /** A ledger with chain id {@code chainId}, serving on a free port. */
    public static TestLedger start(String chainId) throws IOException {
        return new TestLedger(chainId);
    }

    public int port() {
        return server.getPort();
    }

    /** Registers (or replaces) the ledger's copy of a request; PENDING unless it carries a status. */
    public KeyRequest register(KeyRequest request) {
        KeyRequest r = request.getStatus() == KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED
                ? request.toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_PENDING).build()
                : request;
        requests.put(r.getId(), r);
        return r;
    }

    /** Sets a registered request's status. */
    public void status(long id, KeyRequestStatus status) {
        requests.computeIfPresent(id, (k, r) -> r.toBuilder().setStatus(status).build());
    }

    /** Records a registered request FULFILLED with {@code publicKey}, as the ledger does once t parties agree. */
    public void fulfill(long id, byte[] publicKey) {
        requests.computeIfPresent(id, (k, r) -> r.toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(com.google.protobuf.ByteString.copyFrom(publicKey)).build());
    }

    /** Records a registered request REJECTED with {@code reason} (final). */
    public void reject(long id, String reason) {
        requests.computeIfPresent(id, (k, r) -> r.toBuilder().setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED)
                .setRejectReason(reason).build());
    }

    /** Registers (or replaces) the ledger's copy of a sign request; PENDING unless it carries a status. */
    public SignRequest register(SignRequest request) {
        SignRequest r = request.getStatus() == SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED
                ? request.toBuilder().setStatus(SignRequestStatus.SIGN_REQUEST_STATUS_PENDING).build()
                : request;
        signRequests.put(r.getId(), r);
        return r;
    }

    /** The ledger's current copy of a registered request. */
    public KeyRequest get(long id) {
        return requests.get(id);
    }

    /** GetKeyRequest calls answered so far. */
    public long lookups() {
        return lookups.get();
    }

    /** The next {@code count} GetKeyRequest calls fail with {@code status}. */
    public synchronized void failNext(int count, Status status) {
        failures = count;
        failing = status;
    }

    /** From now on GetKeyRequest calls wait unanswered until {@link #resume()}. */
    public synchronized void pause() {
        paused = true;
    }

    /** Answers the waiting GetKeyRequest calls, and the next ones at once. */
    public void resume() {
        java.util.List<Runnable> waiting;
        synchronized (this) {
            paused = false;
            waiting = new java.util.ArrayList<>(parked);
            parked.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** A party's view of this ledger over a channel of its own (closed with this ledger). */
    public synchronized LedgerView view() {
        if (channel == null) {
            channel = NettyChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
        }
        return new GrpcLedgerView(MutinyLedgerGrpc.newMutinyStub(channel), channel, Duration.ofSeconds(5));
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends LedgerGrpc.LedgerImplBase {
        @Override
        public void getParams(GetParamsRequest request, StreamObserver<Params> observer) {
            observer.onNext(Params.newBuilder().setChainId(chainId).setAddressPrefix("zen").build());
            observer.onCompleted();
        }

        @Override
        public void getKeyRequest(KeyRequestByIdRequest request, StreamObserver<KeyRequest> observer) {
            lookups.incrementAndGet();
            synchronized (TestLedger.this) {
                if (failures > 0) {
                    failures--;
                    observer.onError(failing.asRuntimeException());
                    return;
                }
                if (paused) {
                    parked.add(() -> answer(request, observer));
                    return;
                }
            }
            answer(request, observer);
        }

        @Override
        public void getSignRequest(SignRequestByIdRequest request, StreamObserver<SignRequest> observer) {
            SignRequest r = signRequests.get(request.getId());
            if (r == null) {
                observer.onError(Status.NOT_FOUND.withDescription("sign request "
                        + Long.toUnsignedString(request.getId()) + " not found").asRuntimeException());
                return;
            }
            observer.onNext(r);
            observer.onCompleted();
        }

        private void answer(KeyRequestByIdRequest request, StreamObserver<KeyRequest> observer) {
            KeyRequest r = requests.get(request.getId());
            if (r == null) {
                observer.onError(Status.NOT_FOUND.withDescription("key request "
                        + Long.toUnsignedString(request.getId()) + " not found").asRuntimeException());
                return;
            }
            observer.onNext(r);
            observer.onCompleted();
        }
    }
}
