package io.keyfed.party.grpc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.KeyRequest;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.KeyringParty;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.PartyGrpc;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.Participants;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.hsm.SoftHsmTestTokens;
import io.keyfed.party.ledger.TestLedger;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.session.TestPartyConfig;
import io.keyfed.party.store.DbResultStore;
import io.keyfed.party.store.TestPostgres;
import io.keyfed.party.transport.ChannelKeys;
import io.keyfed.party.transport.DirectionKeys;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.PeerIdentity;

/**
 * Parties in one JVM, each with its own SoftHSM token (from the shared pool, opened once per JVM),
 * its own database on real PostgreSQL (a fresh database per party and cluster on the JVM's
 * {@link TestPostgres}, Flyway schema, the party's {@link DbResultStore} on it) and its own real gRPC
 * server (grpc-java over Netty, on a free port), talking to each other over real sockets. The parties read one
 * {@link TestLedger} (a real gRPC server on a free port), which knows the requests made by {@link #request}.
 */
public final class PartyCluster implements AutoCloseable {
    public static final String CHAIN_ID = "keyfed-test";
    public static final String KEYRING = Addresses.account("keyring", fixedKey());

    private static final Map<String, HsmToken> TOKENS = new HashMap<>();

    /** The token of party {@code name}, opened once per JVM and never closed (one facade per token). */
    public static synchronized HsmToken token(String name) {
        return TOKENS.computeIfAbsent(name, n -> HsmToken.open(SoftHsmTestTokens.token(n).config()));
    }

    private static byte[] fixedKey() {
        return io.keyfed.api.crypto.Secp256k1.publicKeyOf(java.math.BigInteger.valueOf(424242));
    }

    /** One running party. */
    public final class Member {
        public final String name;
        public final HsmToken token;
        public final String address;
        public final int port;
        public final Path dataDir;
        public final TestPartyConfig config;
        /** The member's own database, created on first use, kept across {@link #stop()} and {@link #start()}. */
        private TestPostgres.Database database;
        /** The running node's store on {@link #database()}: opened by {@link #start()}, closed by {@link #stop()}. */
        private DbResultStore store;
        PartyNode node;
        /** What the member's node sends, which a test may rewrite ({@link #outbound()}); kept across restarts. */
        private final TamperedOutbound outbound = new TamperedOutbound();
        /** The running node's meters (in a registry of their own), new at each {@link #start()}. */
        public PartyMetrics metrics;
        Server server;
        ManagedChannel channel;
        /**
         * Every envelope this member's server was given (Deliver and DeliverBatch), recorded before the node
         * handles it: the traffic a network observer sees, and what a hand-driven member reads.
         */
        public final List<PeerEnvelope> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        Member(String name, int port, Path dataDir) {
            this.name = name;
            this.token = token(name);
            this.address = Addresses.account("zen", token.identityPublicKey());
            this.port = port;
            this.dataDir = dataDir;
            this.config = new TestPartyConfig(dataDir.toString());
        }

        public PartyNode node() {
            return node;
        }

        /**
         * The member's outgoing packages: {@code outbound().set((recipient, kind, plaintext) -> bytes)} rewrites (or,
         * returning null, withholds) them before they are sealed; {@code set(null)} sends them unchanged again.
         */
        public TamperedOutbound outbound() {
            return outbound;
        }

        /** The highest attempt number a request was signed in on the running node (0 when none signed later). */
        public double highestSignedAttempt() {
            var summary = metrics.registry().find(PartyMetrics.SIGN_ATTEMPT).summary();
            return summary == null ? 0 : summary.max();
        }

        public boolean running() {
            return node != null;
        }

        /** The member's database (created, with the party's schema, on first use). */
        public synchronized TestPostgres.Database database() {
            if (database == null) {
                database = TestPostgres.shared().createDatabase(name);
            }
            return database;
        }

        /**
         * Starts (or restarts) the node and its gRPC server on the same port and database; a restarted node
         * gets a new store (pool) on it, like a restarted party process.
         */
        public void start() throws IOException {
            config.peers = peersList();
            store = database().openStore();
            metrics = PartyMetrics.detached();
            metrics.sealedSharesAtStart(store.countSealedShares().await().indefinitely());
            token.onOperation(metrics);
            node = new PartyNode(config, token, store, ledger.view(), metrics,
                    io.opentelemetry.api.OpenTelemetry.noop().getTracer("keyfed-party"),
                    io.keyfed.party.transport.PeerChannels.plaintext(), outbound);
            server = NettyServerBuilder.forPort(port).maxInboundMessageSize(1024 * 1024)
                    .addService(io.grpc.ServerInterceptors.intercept(new PartyEndpoint(node), recorder(received)))
                    .build().start();
        }

        /** Stops the server and the node (the token stays open). */
        public void stop() throws InterruptedException {
            if (server != null) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server = null;
            }
            if (node != null) {
                node.close();
                node = null;
            }
            if (store != null) {
                store.close();
                store = null;
            }
        }

        /** A client stub to this party's server. */
        public PartyGrpc.PartyBlockingStub stub() {
            if (channel == null) {
                channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            }
            return PartyGrpc.newBlockingStub(channel);
        }

        public PartyGrpc.PartyFutureStub futureStub() {
            stub();
            return PartyGrpc.newFutureStub(channel);
        }
    }

    private final List<Member> members = new ArrayList<>();
    private final Path root;
    /** The ledger the members confirm their requests with. */
    public final TestLedger ledger;

    /** Members for the named tokens; none started yet. */
    public PartyCluster(String... names) throws IOException {
        ledger = TestLedger.start(CHAIN_ID);
        root = Path.of("target", "party-tests", UUID.randomUUID().toString()).toAbsolutePath();
        Files.createDirectories(root);
        for (String n : names) {
            members.add(new Member(n, freePort(), root.resolve(n)));
        }
    }

    public Member member(int i) {
        return members.get(i);
    }

    public List<Member> members() {
        return members;
    }

    public PartyCluster configure(Consumer<TestPartyConfig> c) {
        members.forEach(m -> c.accept(m.config));
        return this;
    }

    public PartyCluster startAll() throws IOException {
        for (Member m : members) {
            m.start();
        }
        return this;
    }

    /** Records the envelopes of every Deliver and DeliverBatch call into {@code into}. */
    private static io.grpc.ServerInterceptor recorder(List<PeerEnvelope> into) {
        return new io.grpc.ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call,
                    io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, A> next) {
                return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(call, headers)) {
                    @Override
                    public void onMessage(Q message) {
                        if (message instanceof PeerEnvelope e) {
                            into.add(e);
                        } else if (message instanceof io.keyfed.api.party.v1.PeerEnvelopeBatch b) {
                            into.addAll(b.getEnvelopesList());
                        }
                        super.onMessage(message);
                    }
                };
            }
        };
    }

    String peersList() {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(m.address).append("@127.0.0.1:").append(m.port);
        }
        return sb.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /**
     * A key request whose snapshot holds every member, sorted by address, registered (PENDING) at the
     * cluster's ledger.
     */
    public KeygenRequest request(long id, KeyType type, int threshold, long deadlineMillis) {
        KeygenRequest call = unregistered(id, type, threshold, deadlineMillis);
        ledger.register(call.getRequest());
        return call;
    }

    /** The session id the ledger derives for {@code call}'s request (api's DkgSessionId, over its snapshot). */
    public static byte[] sessionId(KeygenRequest call) {
        KeyRequest r = call.getRequest();
        return io.keyfed.api.encoding.DkgSessionId.derive(call.getChainId(), r.getId(), r.getKeyringAddr(),
                r.getKeyTypeValue(), r.getPartiesList().stream().map(KeyringParty::getAddress).toList(),
                r.getPartyThreshold());
    }

    /** The same call as {@link #request}, but the ledger is not told: a made-up request. */
    public KeygenRequest unregistered(long id, KeyType type, int threshold, long deadlineMillis) {
        return unregistered(id, type, threshold, deadlineMillis, members);
    }

    /** A call whose snapshot holds only {@code snapshot} (sorted by address); the ledger is not told. */
    public KeygenRequest unregistered(long id, KeyType type, int threshold, long deadlineMillis,
            List<Member> snapshot) {
        List<String> sorted = Participants.sorted(snapshot.stream().map(m -> m.address).toList());
        KeyRequest.Builder r = KeyRequest.newBuilder().setId(id).setKeyringAddr(KEYRING).setKeyType(type)
                .setPartyThreshold(threshold).setDeadlineUnixMs(deadlineMillis);
        for (String a : sorted) {
            Member m = members.stream().filter(x -> x.address.equals(a)).findFirst().orElseThrow();
            r.addParties(KeyringParty.newBuilder().setAddress(a)
                    .setPublicKey(ByteString.copyFrom(m.token.identityPublicKey())));
        }
        return KeygenRequest.newBuilder().setChainId(CHAIN_ID).setRequest(r).build();
    }

    /**
     * Lets a test speak for {@code from} to {@code to} in the session of {@code call}, with {@code from}'s
     * own token: the session as {@code from} sees it, and envelopes sealed under their channel keys.
     */
    public static Speaker speakAs(Member from, Member to, KeygenRequest call) {
        SessionSpec spec = SessionSpec.validate(call, "zen", from.address, from.token.identityPublicKey(),
                System.currentTimeMillis());
        byte[] sid = spec.sessionId().toBytes();
        PeerIdentity peer = PeerIdentity.verify(to.node().identity(), to.address, to.token.identityPublicKey(), "zen");
        return new Speaker(spec, sid, new ChannelKeys(from.token, from.address).direction(peer, sid, from.address,
                to.address), from.address, to.address);
    }

    /** See {@link #speakAs}. Holds channel keys: no toString. */
    public static final class Speaker {
        public final SessionSpec spec;
        public final byte[] sessionId;
        private final DirectionKeys keys;
        private final String from;
        private final String to;

        private Speaker(SessionSpec spec, byte[] sessionId, DirectionKeys keys, String from, String to) {
            this.spec = spec;
            this.sessionId = sessionId;
            this.keys = keys;
            this.from = from;
            this.to = to;
        }

        /** The channel keys, for envelopes built by hand (wrong session, wrong sender, ...). */
        public DirectionKeys keys() {
            return keys;
        }

        /** Wipes the channel keys. */
        public void destroy() {
            keys.destroy();
        }

        /** An envelope of {@code kind} carrying {@code payload} as it is, authenticated (a round-2 payload is a SignedShare). */
        public PeerEnvelope seal(int kind, byte[] payload) {
            return EnvelopeCodec.seal(keys, spec.requestId(), sessionId, from, to, kind, payload);
        }
    }

    /** Polls {@code condition} every 20 ms for at most {@code seconds}. */
    public static boolean await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Stops every member and drops their databases. */
    @Override
    public void close() throws InterruptedException {
        try {
            for (Member m : members) {
                m.stop();
                if (m.channel != null) {
                    m.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            for (Member m : members) {
                synchronized (m) {
                    if (m.database != null) {
                        m.database.close();
                        m.database = null;
                    }
                }
            }
            ledger.close();
        }
    }
}
