package io.keyfed.bench.load;

import java.net.URI;
import java.util.Locale;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.tls.TlsFileException;
import io.keyfed.cli.tls.TlsFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The TLS options of the commands that talk to the ledger (a picocli mixin), and the ledger's REST client and gRPC
 * channel built from them. {@code https://} uses TLS on both (the gRPC channel through grpc-java's
 * {@link TlsChannelCredentials}: the CA file as its trust, the client certificate and key as its key manager);
 * {@code http://} is plain text (development).
 */
final class LedgerTls {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM CA certificate(s) trusted for an https:// ledger (default $KEYFED_CA)")
    String ca;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "PEM client certificate for a ledger that asks for one (default $KEYFED_CLIENT_CERT)")
    String clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "PEM private key of --client-cert, mode 0600 (default $KEYFED_CLIENT_KEY)")
    String clientKey;

    /** The files from the options, each falling back to its environment variable; checked when https. */
    TlsFiles files(String ledgerUrl) {
        try {
            TlsFiles f = TlsFiles.of(ca, clientCert, clientKey, System.getenv());
            if (isHttps(ledgerUrl)) {
                f.check();
            }
            return f;
        } catch (IllegalArgumentException | TlsFileException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The ledger's REST client. */
    LedgerClient client(String ledgerUrl) {
        try {
            return new LedgerClient(ledgerUrl, files(ledgerUrl));
        } catch (IllegalArgumentException | TlsFileException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** A gRPC channel to the ledger's host and port (the gRPC services share the HTTP port). */
    ManagedChannel channel(String ledgerUrl) {
        return channel(URI.create(ledgerUrl.strip()), files(ledgerUrl));
    }

    static ManagedChannel channel(URI ledger, TlsFiles tls) {
        boolean https = "https".equals(ledger.getScheme());
        int port = ledger.getPort() != -1 ? ledger.getPort() : https ? 443 : 80;
        return Grpc.newChannelBuilderForAddress(ledger.getHost(), port, credentials(https, tls)).build();
    }

    static ChannelCredentials credentials(boolean https, TlsFiles tls) {
        if (!https) {
            return InsecureChannelCredentials.create();
        }
        try {
            TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
            if (tls.ca() != null) {
                b.trustManager(tls.ca().toFile());
            }
            if (tls.hasClientCert()) {
                b.keyManager(tls.clientCert().toFile(), tls.clientKey().toFile());
            }
            return b.build();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the TLS files " + tls + ": " + e.getMessage());
        }
    }

    private static boolean isHttps(String url) {
        return url.strip().toLowerCase(Locale.ROOT).startsWith("https:");
    }
}
