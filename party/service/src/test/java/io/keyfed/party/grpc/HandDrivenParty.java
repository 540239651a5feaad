package io.keyfed.party.grpc;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bouncycastle.math.ec.rfc7748.X25519;

import io.grpc.StatusRuntimeException;
import io.keyfed.api.party.v1.KeygenRequest;
import io.keyfed.api.party.v1.PeerEnvelope;
import io.keyfed.party.dkg.Dkg;
import io.keyfed.party.dkg.DkgParameters;
import io.keyfed.party.dkg.DkgResult;
import io.keyfed.party.dkg.EchoState;
import io.keyfed.party.dkg.Inbound;
import io.keyfed.party.dkg.Round1State;
import io.keyfed.party.dkg.Round2State;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.session.Round1Signatures;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.session.KeyConfirmation;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.session.ShareStatement;
import io.keyfed.party.session.SignedShare;
import io.keyfed.party.transport.EnvelopeCodec;
import io.keyfed.party.transport.ShareKey;

/**
 * A participant whose protocol the test runs by hand, with the member's own token and channel keys
 * ({@link PartyCluster#speakAs}), over the real transport: its node runs but is never asked for the request, so
 * what the peers send it is only held there, and read from {@link PartyCluster.Member#received}. It knows its own
 * ephemeral secrets, as any party does, so a test can reveal one (a complaint) or use one (forward secrecy).
 * Holds secrets: no toString.
 */
final class HandDrivenParty {
    private static final SecureRandom RANDOM = new SecureRandom();

    final PartyCluster.Member me;
    final SessionSpec spec;
    final byte[] sid;
    private final Map<String, PartyCluster.Member> peers = new LinkedHashMap<>();
    private final Map<String, PartyCluster.Speaker> speakers = new LinkedHashMap<>();
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();
    private Round1State round1;
    private Round1Package ownPackage;
    private byte[] ownSignature;
    private EchoState echo;
    private Round2State round2;

    HandDrivenParty(PartyCluster.Member me, List<PartyCluster.Member> peers, KeygenRequest call) {
        this.me = me;
        this.spec = SessionSpec.validate(call, "zen", me.address, me.token.identityPublicKey(),
                System.currentTimeMillis());
        this.sid = spec.sessionId().toBytes();
        for (PartyCluster.Member p : peers) {
            this.peers.put(p.address, p);
            speakers.put(p.address, PartyCluster.speakAs(me, p, call));
            byte[] secret = new byte[X25519.SCALAR_SIZE];
            X25519.generatePrivateKey(RANDOM, secret);
            secrets.put(p.address, secret);
        }
    }

    /** Sends kind 6 (its ephemeral public key for each peer) and round 1, as a party does at its start. */
    void start() {
        DkgParameters params = new DkgParameters(spec.curve(), spec.threshold(), spec.n(), spec.selfId(),
                spec.sessionId());
        Dkg.Round1Output o = Dkg.round1(params, RANDOM);
        round1 = o.state();
        ownPackage = o.broadcast();
        SignedRound1Package signed = SignedRound1.sign(me.token, spec, ownPackage);
        ownSignature = signed.signature();
        for (String p : peers.keySet()) {
            send(p, EnvelopeCodec.KIND_EPHEMERAL, ephemeralPayload(ownPublic(p)));
            send(p, EnvelopeCodec.KIND_ROUND1, signed.encode());
        }
    }

    /** The kind-6 payload for an X25519 public key: u8 1 | u16 32 | key. */
    static byte[] ephemeralPayload(byte[] publicKey) {
        byte[] out = new byte[3 + publicKey.length];
        out[0] = 1;
        out[2] = (byte) publicKey.length;
        System.arraycopy(publicKey, 0, out, 3, publicKey.length);
        return out;
    }

    /** The key of a kind-6 payload. */
    static byte[] ephemeralKeyOf(byte[] payload) {
        return Arrays.copyOfRange(payload, 3, payload.length);
    }

    /** Waits for every peer's round-1 package and sends the echo. */
    void echo() throws Exception {
        List<Inbound<SignedRound1Package>> in = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : awaitFromAll(EnvelopeCodec.KIND_ROUND1).entrySet()) {
            in.add(new Inbound<>(e.getKey(), SignedRound1Package.decode(spec.curve(), e.getValue(), e.getKey())));
        }
        awaitFromAll(EnvelopeCodec.KIND_EPHEMERAL);
        Dkg.EchoOutput o = Dkg.echo(round1, ownSignature, in, Round1Signatures.verifier(spec));
        echo = o.state();
        for (String p : peers.keySet()) {
            send(p, EnvelopeCodec.KIND_ECHO, o.broadcast().encode());
        }
    }

    /** Waits for every peer's echo and sends honest round-2 shares, signed as the service signs them. */
    void round2() throws Exception {
        List<Inbound<EchoPackage>> in = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : awaitFromAll(EnvelopeCodec.KIND_ECHO).entrySet()) {
            in.add(new Inbound<>(e.getKey(), EchoPackage.decode(spec.curve(), e.getValue(), e.getKey())));
        }
        Dkg.Round2Output o = Dkg.round2(echo, in);
        echo.destroy();
        round2 = o.state();
        Map<String, byte[]> cts = new LinkedHashMap<>();
        List<ShareStatement.Entry> entries = new ArrayList<>();
        for (Round2Package share : o.shares()) {
            String to = spec.addressOf(share.recipient());
            byte[] plain = share.encode();
            byte[] ct = EnvelopeCodec.encryptShare(shareKey(spec.self(), to), header(spec.self(), to), plain);
            Arrays.fill(plain, (byte) 0);
            cts.put(to, ct);
            entries.add(new ShareStatement.Entry(share.recipient(), ownPublic(to), peerEphemeral(to),
                    SignedShare.hash(ct)));
        }
        entries.sort((a, b) -> Integer.compare(a.recipient(), b.recipient()));
        ShareStatement st = new ShareStatement(spec.selfId(), entries);
        byte[] sig = me.token.signIdentity(st.signBytes(sid, spec.self()));
        cts.forEach((to, ct) -> send(to, EnvelopeCodec.KIND_ROUND2, new SignedShare(ct, st, sig).encode()));
    }

    /** Waits for every peer's share, opens them with its ephemeral secrets, finishes and sends CONFIRM. */
    DkgResult finishAndConfirm() throws Exception {
        List<Inbound<Round2Package>> in = new ArrayList<>();
        for (Map.Entry<Integer, byte[]> e : awaitFromAll(EnvelopeCodec.KIND_ROUND2).entrySet()) {
            byte[] plain = openShareFrom(spec.addressOf(e.getKey()));
            in.add(new Inbound<>(e.getKey(), Round2Package.decode(spec.curve(), plain, e.getKey())));
            Arrays.fill(plain, (byte) 0);
        }
        DkgResult r = Dkg.finish(round2, in);
        byte[] digest = KeyConfirmation.digest(sid, r.publicKeyPackage().groupPublicKey(),
                r.publicKeyPackage().encode());
        for (String p : peers.keySet()) {
            send(p, EnvelopeCodec.KIND_CONFIRM, digest);
        }
        return r;
    }

    /** This party's round-1 broadcast. */
    Round1Package ownPackage() {
        return ownPackage;
    }

    /** The signed share {@code peer} sent this party (waits for it). */
    SignedShare signedShareFrom(String peer) throws Exception {
        int j = spec.identifierOf(peer);
        return SignedShare.decode(awaitFromAll(EnvelopeCodec.KIND_ROUND2).get(j), spec.n(), j);
    }

    /** Decrypts {@code peer}'s share to this party with this party's ephemeral secret of the pair. */
    byte[] openShareFrom(String peer) throws Exception {
        SignedShare s = signedShareFrom(peer);
        try {
            return EnvelopeCodec.openShare(shareKey(peer, spec.self()), header(peer, spec.self()), s.ciphertext());
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the share from " + peer + " does not open", e);
        }
    }

    /** The pair's share key for {@code sender} → {@code recipient} (one of them is this party). */
    ShareKey shareKey(String sender, String recipient) throws Exception {
        String peer = sender.equals(spec.self()) ? recipient : sender;
        byte[] shared = new byte[32];
        if (!X25519.calculateAgreement(secrets.get(peer), 0, peerEphemeral(peer), 0, shared, 0)) {
            throw new AssertionError("low-order ephemeral key from " + peer);
        }
        byte[] mine = ownPublic(peer);
        byte[] theirs = peerEphemeral(peer);
        boolean outgoing = sender.equals(spec.self());
        ShareKey k = ShareKey.derive(shared, sid, sender, recipient, outgoing ? mine : theirs, outgoing ? theirs : mine);
        Arrays.fill(shared, (byte) 0);
        return k;
    }

    /** The header (GCM associated data) of a round-2 envelope from {@code sender} to {@code recipient}. */
    byte[] header(String sender, String recipient) {
        return EnvelopeCodec.header(spec.requestId(), sid, sender, recipient, EnvelopeCodec.KIND_ROUND2);
    }

    /** This party's ephemeral secret for its pair with {@code peer}. */
    byte[] ephemeralSecret(String peer) {
        return secrets.get(peer).clone();
    }

    byte[] ownPublic(String peer) {
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(secrets.get(peer), 0, pub, 0);
        return pub;
    }

    /** {@code peer}'s ephemeral public key for this party, as received (waits for it). */
    byte[] peerEphemeral(String peer) throws Exception {
        return ephemeralKeyOf(awaitFromAll(EnvelopeCodec.KIND_EPHEMERAL).get(spec.identifierOf(peer)));
    }

    /** The envelopes of {@code kind} received for this request from every peer, by sender id (waits ≤ 30 s). */
    Map<Integer, byte[]> awaitFromAll(int kind) throws Exception {
        Map<Integer, byte[]> out = new TreeMap<>();
        PartyCluster.await(() -> {
            out.clear();
            for (PeerEnvelope e : me.received) {
                if (e.getRequestId() == spec.requestId() && e.getKind() == kind && peers.containsKey(e.getSenderAddr())) {
                    out.put(spec.identifierOf(e.getSenderAddr()), e.getPayload().toByteArray());
                }
            }
            return out.size() == peers.size();
        }, 30);
        if (out.size() != peers.size()) {
            throw new AssertionError("kind " + kind + " arrived from " + out.keySet() + " only");
        }
        return out;
    }

    /** Seals and delivers one envelope; returns null when accepted, else the refusal's description. */
    String send(String peer, int kind, byte[] payload) {
        try {
            peers.get(peer).stub().deliver(speakers.get(peer).seal(kind, payload));
            return null;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
        }
    }

    /** Wipes the channel keys, the ephemeral secrets and the DKG state. */
    void destroy() {
        speakers.values().forEach(PartyCluster.Speaker::destroy);
        secrets.values().forEach(s -> Arrays.fill(s, (byte) 0));
        for (javax.security.auth.Destroyable d : new javax.security.auth.Destroyable[] { round1, echo, round2 }) {
            if (d != null) {
                try {
                    d.destroy();
                } catch (javax.security.auth.DestroyFailedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
