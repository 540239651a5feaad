package io.keyfed.party.grpc;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.keyfed.api.tls.TransportSecurity;
import io.keyfed.party.transport.PeerChannels;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;

import io.keyfed.party.config.PartyConfig;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.ledger.LedgerView;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.store.DbResultStore;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.StartupEvent;

/**
 * Wires the party at start-up: opens the token (through {@code HsmTokenProducer}) and builds the
 * {@link PartyNode} over the party's database ({@link DbResultStore}) and its view of the ledger
 * ({@link io.keyfed.party.ledger.GrpcLedgerView}), so that a wrong PIN, a missing
 * library or a bad peers list stops the party before it serves anything. Prints the identity the
 * keyring admin registers.
 */
@Singleton
public class PartyBeans {
    private static final Logger LOG = Logger.getLogger(PartyBeans.class);
    /** The name of the TLS registry configuration of the party's channels to its peers. */
    public static final String PEERS_TLS = "peers";

    @Produces
    @Singleton
    PartyNode node(PartyConfig config, HsmToken token, DbResultStore store, LedgerView ledger, PartyMetrics metrics,
            Tracer tracer, PeerChannels peerChannels) {
        return new PartyNode(config, token, store, ledger, metrics, tracer, peerChannels);
    }

    /**
     * The channels to peers: mutual TLS with the TLS registry's configuration {@value #PEERS_TLS} (this party's
     * key and certificate, and a trust store of exactly its peers' certificates); plain text only in
     * development mode. Checks the whole transport rule first ({@link TransportSecurity}).
     */
    @Produces
    @Singleton
    PeerChannels peerChannels(Config config, TlsConfigurationRegistry registry, Vertx vertx) {
        TransportSecurity.check(config, LOG, "the party", List.of("ledger"));
        if (TransportSecurity.plaintext(config)) {
            return PeerChannels.plaintext();
        }
        TlsConfiguration tls = registry.get(PEERS_TLS).orElseThrow(() -> new IllegalStateException("the party needs"
                + " the TLS configuration '" + PEERS_TLS + "' for its peers: quarkus.tls." + PEERS_TLS
                + ".key-store.pem.0.cert/key (its own certificate) and quarkus.tls." + PEERS_TLS
                + ".trust-store.pem.certs (exactly its peers' certificates); see deploy/TLS.md"));
        return PeerChannels.tls(tls, vertx);
    }

    void close(@Disposes PartyNode node) {
        node.close();
    }

    void onStart(@Observes StartupEvent event, PartyNode node, DbResultStore store, PartyMetrics metrics) {
        // Before any session of this process can have stored a share: a DKG needs its peers' messages first.
        store.countSealedShares().subscribe().with(metrics::sealedSharesAtStart,
                e -> LOG.warnf("sealed shares not counted (keyfed_party_sealed_shares stays NaN): %s", e.toString()));
        LOG.infof("party address %s, identity public key %s; secp256k1 signatures verified with %s, DKG and signing "
                + "multiplications on %s", node.address(),
                java.util.HexFormat.of().formatHex(node.identity().getIdentityPublicKey().toByteArray()),
                io.keyfed.api.crypto.Secp256k1.backend(), io.keyfed.party.dkg.curve.Secp256k1Curve.INSTANCE.backend());
    }
}
