package io.keyfed.connector.grpc;

import static io.keyfed.connector.fake.Await.await;
import static io.keyfed.connector.fake.FakeBackends.LEDGER;
import static io.keyfed.connector.fake.FakeBackends.PARTY;
import static io.keyfed.connector.fake.FakeBackends.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.connector.v1.ConnectorGrpc;
import io.keyfed.api.connector.v1.ConnectorStatus;
import io.keyfed.api.connector.v1.GetStatusRequest;
import io.keyfed.connector.fake.FakeBackends;
import io.keyfed.connector.fake.FakeLedger;
import io.keyfed.connector.fake.FakeParty;
import io.keyfed.connector.fake.SignBackends;
import io.keyfed.connector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's own gRPC service and server reflection, called over a real socket on the connector's HTTP
 * port (gRPC shares it) with plain grpc-java stubs, while the connector relays for the in-test ledger and party
 * ({@link FakeLedger}, {@link FakeParty}). Waits are bounded polls; nothing asserts on elapsed time.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeBackends.class, restrictToAnnotatedClass = true)
class ConnectorStatusServiceTest {

    private static final String SERVICE = "keyfed.connector.v1.Connector";

    /** The HTTP server's root; its port is the one actually bound (the test profile asks for a free port). */
    @TestHTTPResource("/")
    URI http;

    @Inject
    MeterRegistry registry;

    private ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = ManagedChannelBuilder.forAddress(http.getHost(), http.getPort()).usePlaintext().build();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void getStatusShowsTheKeyringThePartyAndTheCountersAfterForwardedRequests() {
        ConnectorGrpc.ConnectorBlockingStub connector = ConnectorGrpc.newBlockingStub(channel);
        PARTY.reject(61);
        LEDGER.emit(pending(60));
        LEDGER.emit(pending(61));
        await("request 60 accepted", () -> !LEDGER.accepted(60).isEmpty());
        await("request 61 accepted", () -> !LEDGER.accepted(61).isEmpty());
        // The ledger accepts before the connector counts the answer: poll the status until both are counted.
        await("status counts the preloaded and 60 as fulfilled, 61 as rejected, nothing pending", () -> {
            ConnectorStatus s = status(connector);
            return s.getFulfilled() == 2 && s.getRejected() == 1 && s.getInFlight() == 0 && s.getQueued() == 0;
        });
        // An open request past its deadline is streamed but not forwarded: it moves the cursor and nothing else.
        long last = LEDGER.emit(pending(62).toBuilder().setDeadlineUnixMs(System.currentTimeMillis() - 1).build());
        await("status shows the cursor of the last event", () -> status(connector).getCursor() == last);

        ConnectorStatus status = status(connector);
        assertEquals(FakeBackends.KEYRING, status.getKeyringAddr());
        assertEquals(FakeParty.ADDRESS, status.getPartyAddr(), "resolved with Party.GetIdentity");
        assertEquals(FakeLedger.CHAIN_ID, status.getChainId(), "fetched with Ledger.GetParams");
        assertTrue(status.getWatchConnected());
        assertEquals(last, status.getCursor());
        assertTrue(status.getSeen() >= 4, "preloaded, 60, 61 and 62 seen: " + status.getSeen());
        assertEquals(2, status.getFulfilled());
        assertEquals(1, status.getRejected());
        assertEquals(0, status.getRetried());
        assertEquals(0, status.getDropped());
        // The same numbers as the Prometheus counters (both final once the await above holds).
        assertEquals(count(ConnectorMetrics.FULFILLED), status.getFulfilled());
        assertEquals(count(ConnectorMetrics.REJECTED), status.getRejected());
    }

    @Test
    void getStatusShowsTheSignStreamAndTheSignCountersApartFromTheKeyOnes() {
        ConnectorGrpc.ConnectorBlockingStub connector = ConnectorGrpc.newBlockingStub(channel);
        await("preloaded key request counted, nothing in flight", () -> {
            ConnectorStatus s = status(connector);
            return s.getFulfilled() >= 1 && s.getInFlight() == 0 && s.getQueued() == 0;
        });
        ConnectorStatus before = status(connector);
        PARTY.rejectSign(71);
        long cursor70 = LEDGER.signs().emit(SignBackends.pendingSign(70), "");
        long cursor71 = LEDGER.signs().emit(SignBackends.pendingSign(71), "");
        await("sign requests 70 and 71 accepted",
                () -> !LEDGER.signs().accepted(70).isEmpty() && !LEDGER.signs().accepted(71).isEmpty());
        await("status counts 70 as fulfilled and 71 as rejected", () -> {
            ConnectorStatus s = status(connector);
            return s.getSignFulfilled() == before.getSignFulfilled() + 1
                    && s.getSignRejected() == before.getSignRejected() + 1 && s.getInFlight() == 0;
        });

        ConnectorStatus status = status(connector);
        assertTrue(status.getSignWatchEnabled());
        assertTrue(status.getSignWatchConnected());
        assertEquals(Math.max(cursor70, cursor71), status.getSignCursor());
        assertEquals(before.getSignSeen() + 2, status.getSignSeen());
        assertEquals(0, status.getSignRetried());
        assertEquals(0, status.getSignDropped());
        assertEquals(before.getFulfilled(), status.getFulfilled(), "key counters unchanged");
        assertEquals(before.getRejected(), status.getRejected(), "key counters unchanged");
        assertEquals(count(ConnectorMetrics.SIGN_FULFILLED), status.getSignFulfilled());
        assertEquals(count(ConnectorMetrics.SIGN_REJECTED), status.getSignRejected());
    }

    @Test
    void serverReflectionListsTheConnectorServiceAndServesItsContract() throws Exception {
        List<ServerReflectionResponse> responses = reflect(
                ServerReflectionRequest.newBuilder().setListServices("*").build(),
                ServerReflectionRequest.newBuilder().setFileContainingSymbol(SERVICE).build());

        List<String> services = responses.get(0).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).collect(Collectors.toList());
        assertTrue(services.contains(SERVICE), "reflection lists " + services);

        List<FileDescriptorProto> files = new ArrayList<>();
        for (var bytes : responses.get(1).getFileDescriptorResponse().getFileDescriptorProtoList()) {
            files.add(parse(bytes.toByteArray()));
        }
        FileDescriptorProto file = files.stream()
                .filter(f -> f.getName().equals("keyfed/connector/v1/connector.proto")).findFirst()
                .orElseThrow(() -> new AssertionError("no connector.proto in " + files.stream()
                        .map(FileDescriptorProto::getName).collect(Collectors.toList())));
        assertEquals("keyfed.connector.v1", file.getPackage());
        assertEquals("GetStatus", file.getService(0).getMethod(0).getName());
    }

    @Test
    void aRequestThatIsNotProtobufIsInvalidArgument() throws Exception {
        io.grpc.MethodDescriptor.Marshaller<byte[]> bytes = new io.grpc.MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        io.grpc.MethodDescriptor<byte[], byte[]> method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(SERVICE, "GetStatus"))
                .setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
        io.grpc.ClientCall<byte[], byte[]> call = channel.newCall(method,
                io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS));
        CompletableFuture<io.grpc.Status> closed = new CompletableFuture<>();
        call.start(new io.grpc.ClientCall.Listener<>() {
            @Override
            public void onClose(io.grpc.Status status, io.grpc.Metadata trailers) {
                closed.complete(status);
            }
        }, new io.grpc.Metadata());
        call.request(1);
        call.sendMessage(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0x01});
        call.halfClose();
        io.grpc.Status status = closed.get(40, TimeUnit.SECONDS);
        assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertTrue(status.getDescription().contains("not a valid GetStatusRequest protobuf message"), status.toString());
    }

    /** Sends the requests on one reflection stream and returns the answers in order. */
    private List<ServerReflectionResponse> reflect(ServerReflectionRequest... requests) throws Exception {
        CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
        List<ServerReflectionResponse> received = new ArrayList<>();
        StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        synchronized (received) {
                            received.add(value);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        synchronized (received) {
                            done.complete(List.copyOf(received));
                        }
                    }
                });
        for (ServerReflectionRequest request : requests) {
            out.onNext(request);
        }
        out.onCompleted();
        List<ServerReflectionResponse> responses = done.get(30, TimeUnit.SECONDS);
        assertEquals(requests.length, responses.size(), "one answer per request: " + responses);
        for (ServerReflectionResponse response : responses) {
            assertTrue(!response.hasErrorResponse(), "reflection error: " + response.getErrorResponse());
        }
        return responses;
    }

    private static FileDescriptorProto parse(byte[] bytes) {
        try {
            return FileDescriptorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("reflection returned an unreadable file descriptor", e);
        }
    }

    private ConnectorStatus status(ConnectorGrpc.ConnectorBlockingStub connector) {
        return connector.withDeadlineAfter(10, TimeUnit.SECONDS).getStatus(GetStatusRequest.getDefaultInstance());
    }

    private long count(String counter) {
        return (long) registry.get(counter).counter().count();
    }
}
