package io.keyfed.party.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.PartyIdentity;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.api.party.v1.SigningCall;
import io.keyfed.api.ledger.v1.PartySignResponse;
import io.keyfed.party.signing.SignSessionManager;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.config.PartyConfig;
import io.keyfed.party.config.PeerDirectory;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.ledger.LedgerView;
import io.keyfed.party.ledger.RequestConfirmations;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.pairing.PairSetupService;
import io.keyfed.party.pairing.PairSetups;
import io.keyfed.party.store.DbResultStore;
import io.keyfed.party.store.ResultStore;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.HeldMessages;
import io.keyfed.party.transport.PeerChannels;
import io.keyfed.party.transport.PeerClients;
import io.keyfed.party.transport.PeerIdentity;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * One party: its identity, result store, peer clients, held messages and sessions, over one
 * {@link HsmToken} (which it uses but does not own or close). The gRPC endpoint delegates here.
 */
public final class PartyNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PartyNode.class);

    private final String address;
    private final PartyIdentity identity;
    private final ResultStore store;
    private final HeldMessages held;
    private final RequestConfirmations confirmations;
    private final PeerClients clients;
    private final ChannelKeys channelKeys;
    private final DkgSessionManager sessions;
    private final SignSessionManager signing;
    private final PairSetupService pairing;
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;

    /**
     * Blocking: signs the agreement-key certification in the token. {@code store} is the party's
     * database of results (in the service, {@link io.keyfed.party.store.DbResultStore}); {@code ledger} is the
     * party's own view of the ledger, which confirms every request before a session starts; {@code metrics} gets
     * the sessions' events.
     */
    public PartyNode(PartyConfig config, HsmToken token, ResultStore store, LedgerView ledger, PartyMetrics metrics) {
        this(config, token, store, ledger, metrics, OpenTelemetry.noop().getTracer("keyfed-party"));
    }

    /**
     * As {@link #PartyNode(PartyConfig, HsmToken, ResultStore, LedgerView, PartyMetrics)}, with the tracer of the
     * sessions' spans.
     */
    public PartyNode(PartyConfig config, HsmToken token, ResultStore store, LedgerView ledger, PartyMetrics metrics,
            Tracer tracer) {
        this(config, token, store, ledger, metrics, tracer, PeerChannels.plaintext());
    }

    /**
     * As {@link #PartyNode(PartyConfig, HsmToken, ResultStore, LedgerView, PartyMetrics, Tracer)}, with the
     * channels to peers (mutual TLS in the service).
     */
    public PartyNode(PartyConfig config, HsmToken token, ResultStore store, LedgerView ledger, PartyMetrics metrics,
            Tracer tracer, PeerChannels peerChannels) {
        this(config, token, store, ledger, metrics, tracer, peerChannels, OutboundPackages.UNCHANGED);
    }

    /**
     * As {@link #PartyNode(PartyConfig, HsmToken, ResultStore, LedgerView, PartyMetrics, Tracer, PeerChannels)},
     * with what the sessions hand to the transport ({@link OutboundPackages#UNCHANGED} in the service).
     */
    public PartyNode(PartyConfig config, HsmToken token, ResultStore store, LedgerView ledger, PartyMetrics metrics,
            Tracer tracer, PeerChannels peerChannels, OutboundPackages outbound) {
        String prefix = config.addressPrefix();
        byte[] identityKey = token.identityPublicKey();
        address = Addresses.account(prefix, identityKey);
        byte[] agreement = PeerIdentity.uncompressedP256(token.agreementPublicKey());
        identity = PartyIdentity.newBuilder().setAddress(address).setIdentityPublicKey(ByteString.copyFrom(identityKey))
                .setAgreementPublicKey(ByteString.copyFrom(agreement))
                .setAgreementKeySignature(ByteString.copyFrom(
                        token.signIdentity(PeerIdentity.certificationBytes(address, agreement))))
                .build();
        PeerDirectory peers = PeerDirectory.parse(config.peers().orElse(""), prefix, address);
        worker = Executors.newFixedThreadPool(Math.max(1, config.workerThreads()), threads("keyfed-party-worker"));
        scheduler = Executors.newSingleThreadScheduledExecutor(threads("keyfed-party-timer"));
        this.store = store;
        long heldTtl = config.heldMessageTtl().orElse(config.maxSessionLifetime()).toMillis();
        held = new HeldMessages(config.maxHeldPerPeer(), heldTtl);
        clients = new PeerClients(peers, prefix, scheduler, config.peerCallTimeout().toMillis(), peerChannels);
        channelKeys = new ChannelKeys(token, address);
        confirmations = new RequestConfirmations(ledger, config.maxConfirmations(),
                config.ledgerConfirmTimeout().toMillis(), worker, metrics);
        sessions = new DkgSessionManager(prefix, address, token, store, clients, channelKeys, held, confirmations,
                new DkgSessionManager.LedgerReads(ledger, config.ledgerPollBackoff(), config.ledgerPollMaxBackoff(),
                        config.ledgerConfirmTimeout().toMillis()),
                worker, scheduler, config.maxSessions(), config.maxHeldMessages(),
                config.maxSessionLifetime().toMillis(), metrics, tracer, outbound);
        pairing = new PairSetupService(new PairSetupService.Runtime(address, token, clients, channelKeys,
                DbResultStore.poolOf(store), worker, scheduler, outbound, metrics.registry()),
                new PairSetupService.Limits(config.maxPairSetups(), config.pairSetupTimeout().toMillis()));
        signing = new SignSessionManager(
                new SignSessionManager.Runtime(prefix, address, token, store, clients, channelKeys, held, ledger, worker,
                        scheduler, outbound, metrics, pairing),
                new SignSessionManager.Limits(config.maxSessions(), config.maxHeldMessages(),
                        config.maxSessionLifetime().toMillis(), config.signingAttemptTimeout().toMillis(),
                        config.ledgerConfirmTimeout().toMillis(), config.maxSigningFaults()));
        long sweep = Math.max(1000, Math.min(60_000, heldTtl / 2));
        scheduler.scheduleWithFixedDelay(() -> {
            int dropped = held.expire(System.currentTimeMillis());
            if (dropped > 0) {
                LOG.infof("dropped %d early messages whose request was never confirmed here", dropped);
            }
        }, sweep, sweep, TimeUnit.MILLISECONDS);
        sessions.resumePendingShares();
        LOG.infof("party %s ready: %d peers configured", address, peers.all().size());
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public String address() {
        return address;
    }

    public PartyIdentity identity() {
        return identity;
    }

    public CompletableFuture<PartyResponse> keygen(KeygenRequest request) {
        return sessions.keygen(request);
    }

    /** Takes part in signing for a sign request ({@link SignSessionManager#sign}). */
    public CompletableFuture<PartySignResponse> sign(SigningCall call) {
        return signing.sign(call);
    }

    /** Routes a peer's envelope to the protocol its kind belongs to: key generation, signing or pairwise setup. */
    public CompletableFuture<Void> deliver(PeerEnvelope envelope) {
        EnvelopeCodec.Protocol protocol = EnvelopeCodec.protocolOf(envelope.getKind());
        if (protocol == EnvelopeCodec.Protocol.PAIRING) {
            try {
                EnvelopeHeaders.check(envelope, address, clients);
            } catch (PartyException e) {
                return CompletableFuture.failedFuture(e);
            }
            return pairing.deliver(envelope);
        }
        if (protocol == EnvelopeCodec.Protocol.FROST || protocol == EnvelopeCodec.Protocol.DKLS) {
            try {
                EnvelopeHeaders.check(envelope, address, clients);
            } catch (PartyException e) {
                return CompletableFuture.failedFuture(e);
            }
            return signing.deliver(envelope);
        }
        return sessions.deliver(envelope);
    }

    /** The signing sessions (and the faults they named). */
    public SignSessionManager signing() {
        return signing;
    }

    /** This party's DKLs23 pairwise setups (one per peer, sealed in the token). */
    public PairSetups pairing() {
        return pairing;
    }

    /** Opens the stored sealed share of a request in the token and checks it against its verification share. */
    public CompletableFuture<ShareCheck> verifyStoredShare(long requestId) {
        return sessions.verifyStoredShare(requestId);
    }

    /** The shares stored before their confirmation and not resolved yet (public data). Blocking (database). */
    public java.util.List<PendingShare> pendingShares() {
        return sessions.pendingShares();
    }

    public DkgSessionManager sessions() {
        return sessions;
    }

    /** The clients to the peers (their delivery counters). */
    public PeerClients clients() {
        return clients;
    }

    public ResultStore store() {
        return store;
    }

    public HeldMessages held() {
        return held;
    }

    /** The confirmations of Keygen calls with the ledger (how many are in flight). */
    public RequestConfirmations confirmations() {
        return confirmations;
    }

    /** Fails running sessions, stops threads and clients; the token stays open. */
    @Override
    public void close() {
        sessions.shutdown();
        signing.shutdown();
        pairing.shutdown();
        clients.close();
        scheduler.shutdownNow();
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channelKeys.close();
    }
}
