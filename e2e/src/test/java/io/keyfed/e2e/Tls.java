package io.keyfed.e2e;

import java.io.IOException;
import java.nio.file.Path;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

/**
 * The tests' own gRPC channels over TLS, from the PEM files {@code ./keyfed certs} made for the run. (HTTPS
 * clients use the client library's {@link io.keyfed.cli.tls.TlsFiles#sslContext()}.)
 */
final class Tls {
    private Tls() {
    }

    /** A gRPC channel to 127.0.0.1:{@code port} over TLS trusting {@code ca}, with a client certificate if given. */
    static ManagedChannel channel(int port, Path ca, Path cert, Path key) {
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
            if (cert != null) {
                b.keyManager(cert.toFile(), key.toFile());
            }
            return Grpc.newChannelBuilderForAddress("127.0.0.1", port, b.build()).build();
        } catch (IOException e) {
            throw new IllegalStateException("TLS material of the run does not load: " + e.getMessage(), e);
        }
    }
}
