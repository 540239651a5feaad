package io.keyfed.party.transport;

import javax.net.ssl.SSLException;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.Vertx;

/**
 * How the party opens its channels to peers: mutual TLS with the key, certificate and pinned trust store of
 * one configuration of Quarkus's TLS registry (the service's {@code quarkus.tls.peers.*}), or plain text in
 * development mode. The peers' addresses are configured ({@code keyfed.party.peers}), so the channels are
 * built here rather than as Quarkus-managed gRPC clients; their key and trust material is the registry's.
 */
public final class PeerChannels {
    private final SslContext tls;

    private PeerChannels(SslContext tls) {
        this.tls = tls;
    }

    /** Plain-text channels: development mode and in-process tests only. */
    public static PeerChannels plaintext() {
        return new PeerChannels(null);
    }

    /**
     * Channels that present the configuration's key and certificate and accept only a server whose
     * certificate its trust store holds.
     */
    public static PeerChannels tls(TlsConfiguration config, Vertx vertx) {
        if (config.getKeyStoreOptions() == null || config.getTrustStoreOptions() == null) {
            throw new IllegalStateException("the TLS configuration for peers needs both a key store (this party's"
                    + " certificate) and a trust store (exactly its peers' certificates)");
        }
        try {
            return new PeerChannels(GrpcSslContexts.forClient()
                    .keyManager(config.getKeyStoreOptions().getKeyManagerFactory(vertx))
                    .trustManager(config.getTrustStoreOptions().getTrustManagerFactory(vertx)).build());
        } catch (SSLException e) {
            throw new IllegalStateException("the TLS configuration for peers is unusable: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("the TLS key or trust store for peers does not load: " + e.getMessage(), e);
        }
    }

    public boolean isTls() {
        return tls != null;
    }

    ManagedChannel open(String host, int port, int maxInboundBytes) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).maxInboundMessageSize(maxInboundBytes);
        return (tls == null ? b.usePlaintext() : b.sslContext(tls)).build();
    }
}
