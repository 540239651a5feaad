package io.keyfed.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.keyfed.api.ledger.v1.GetParamsRequest;
import io.keyfed.api.ledger.v1.LedgerGrpc;
import io.keyfed.api.ledger.v1.Params;
import io.keyfed.cli.certs.CertDir;
import io.keyfed.cli.certs.CertIssuer;
import io.keyfed.cli.tls.TlsFiles;

/**
 * The load generator's gRPC channel to an https:// ledger: a grpc-netty server with mutual TLS from the files of
 * {@code keyfed certs} (the ledger's certificate, the CA as trust for client certificates).
 */
class LedgerTlsTest {
    @TempDir
    static Path dir;
    static Server server;
    static final AtomicInteger served = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        CertDir certs = new CertDir(dir, new CertIssuer(new SecureRandom()), Clock.systemUTC());
        certs.ensureCa();
        certs.ensureLeaf(new CertDir.Leaf("ledger", "keyfed:ledger"), List.of(), Duration.ofDays(1), false);
        certs.ensureLeaf(new CertDir.Leaf("client-bench", "keyfed:client:bench"), List.of(), Duration.ofDays(1),
                false);
        TlsServerCredentials.Builder creds = TlsServerCredentials.newBuilder()
                .keyManager(dir.resolve("ledger.crt").toFile(), dir.resolve("ledger.key").toFile())
                .trustManager(dir.resolve("ca.crt").toFile())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), creds.build())
                .addService(new LedgerGrpc.LedgerImplBase() {
                    @Override
                    public void getParams(GetParamsRequest request, StreamObserver<Params> response) {
                        served.incrementAndGet();
                        response.onNext(Params.newBuilder().setChainId("tls-chain").build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static URI url() {
        return URI.create("https://127.0.0.1:" + server.getPort());
    }

    private static Params call(TlsFiles tls) throws Exception {
        ManagedChannel ch = LedgerTls.channel(url(), tls);
        try {
            return LedgerGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getParams(GetParamsRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void reachesAMutualTlsLedgerWithTheCaAndAClientCertificate() throws Exception {
        int before = served.get();
        Params p = call(new TlsFiles(dir.resolve("ca.crt"), dir.resolve("client-bench.crt"),
                dir.resolve("client-bench.key")));
        assertEquals("tls-chain", p.getChainId());
        assertEquals(before + 1, served.get());
    }

    @Test
    void withoutTheCaTheLedgerIsNotTrusted() {
        int before = served.get();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(new TlsFiles(null, dir.resolve("client-bench.crt"), dir.resolve("client-bench.key"))));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(before, served.get());
    }

    @Test
    void withoutAClientCertificateTheLedgerRefuses() {
        int before = served.get();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> call(new TlsFiles(dir.resolve("ca.crt"), null, null)));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(before, served.get());
    }

    @Test
    void aPlainTextChannelIsRefusedByATlsLedger() {
        int before = served.get();
        ManagedChannel ch = LedgerTls.channel(URI.create("http://127.0.0.1:" + server.getPort()), TlsFiles.none());
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> LedgerGrpc
                    .newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getParams(GetParamsRequest.getDefaultInstance()));
            assertTrue(e.getStatus().getCode() == Status.Code.UNAVAILABLE
                    || e.getStatus().getCode() == Status.Code.INTERNAL, e.getStatus()::toString);
        } finally {
            ch.shutdownNow();
        }
        assertEquals(before, served.get());
    }

    @Test
    void aMissingCaFileIsAUsageErrorNamingIt() {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new LoadGenerator()).setExpandAtFiles(false);
        cl.setErr(new java.io.PrintWriter(err));
        int exit = cl.execute("setup", "--home", dir.toString(), "--ledger", url().toString(), "--ca",
                dir.resolve("nope.crt").toString());
        assertEquals(2, exit, err::toString);
        assertTrue(err.toString().contains("CA file " + dir.resolve("nope.crt") + " does not exist"), err::toString);
    }
}
