package io.keyfed.party.session;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import javax.security.auth.Destroyable;

import org.bouncycastle.math.ec.rfc7748.X25519;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.DkgError;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;
import io.keyfed.party.transport.ShareKey;

/**
 * SECRET: one session's ephemeral key agreement. For every peer the party makes a fresh X25519 key pair in
 * memory (RFC 7748, BouncyCastle's constant-time implementation), sends the public key to that peer in an
 * envelope of kind 6 (authenticated under the static channel key, sent together with round 1), and derives
 * the round-2 share keys of the pair from its own secret and the peer's public key ({@link ShareKey}). One key
 * pair per peer, so that revealing one in a complaint ({@link #revealSecret}) opens only that pair's shares.
 *
 * <pre>
 * kind 6 payload = u8 version (1) | u16 32 | X25519 public key (32 bytes, little-endian u)
 * </pre>
 *
 * A received public key must be canonical (u &lt; 2^255 − 19) and must not be of low order: the X25519 output
 * with it must not be all zero (RFC 7748 §6.1), since a low-order point fixes the shared secret whatever the
 * secret key. Everything secret is wiped by {@link #destroy()}: the session calls it once round 2 is processed,
 * or when it ends.
 */
public final class EphemeralKeys implements Destroyable {
    static final int VERSION = 1;
    static final int KEY_LENGTH = X25519.POINT_SIZE;

    private final SessionSpec spec;
    private final Map<String, byte[]> secrets = new HashMap<>();
    private final Map<String, byte[]> publics = new HashMap<>();
    private final Map<String, byte[]> received = new HashMap<>();
    private final Map<String, ShareKey> outKeys = new HashMap<>();
    private final Map<String, ShareKey> inKeys = new HashMap<>();
    private boolean destroyed;

    private EphemeralKeys(SessionSpec spec) {
        this.spec = spec;
    }

    /** Fresh key pairs, one per peer of the session. */
    static EphemeralKeys generate(SessionSpec spec, SecureRandom random) {
        EphemeralKeys k = new EphemeralKeys(spec);
        for (String peer : spec.peers()) {
            byte[] secret = new byte[X25519.SCALAR_SIZE];
            X25519.generatePrivateKey(random, secret);
            k.secrets.put(peer, secret);
            k.publics.put(peer, publicOf(secret));
        }
        return k;
    }

    /** The kind-6 payload for {@code peer}: this party's ephemeral public key for it. */
    byte[] offer(String peer) {
        return new WireWriter().u8(VERSION).bytes(ownPublic(peer)).toByteArray();
    }

    /**
     * A peer's kind-6 payload: decodes and validates its public key and derives both share keys of the pair.
     * A bad payload or key is a {@link DkgAbort} naming the peer.
     */
    void accept(String from, int j, byte[] payload) throws DkgAbort {
        check();
        WireReader r = WireReader.open(payload, 64, j);
        int v = r.u8();
        if (v != VERSION) {
            throw r.malformed("unsupported ephemeral key version " + v);
        }
        byte[] theirs = r.bytes(KEY_LENGTH, "ephemeral public key");
        r.end();
        byte[] shared = agree(secrets.get(from), theirs);
        if (shared == null) {
            throw new DkgAbort(new DkgError.InvalidPoint(j, "ephemeral public key"));
        }
        try {
            byte[] sid = spec.sessionId().toBytes();
            byte[] mine = publics.get(from);
            received.put(from, theirs);
            outKeys.put(from, ShareKey.derive(shared, sid, spec.self(), from, mine, theirs));
            inKeys.put(from, ShareKey.derive(shared, sid, from, spec.self(), theirs, mine));
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    /** Whether every peer's ephemeral public key arrived. */
    boolean complete() {
        return received.size() == spec.peers().size();
    }

    boolean has(String peer) {
        return received.containsKey(peer);
    }

    /** This party's ephemeral public key for {@code peer}. */
    byte[] ownPublic(String peer) {
        return publics.get(peer).clone();
    }

    /** {@code peer}'s ephemeral public key for this party, as received (null before it arrived). */
    byte[] received(String peer) {
        byte[] k = received.get(peer);
        return k == null ? null : k.clone();
    }

    /** The key that encrypts this party's share to {@code peer}. */
    ShareKey out(String peer) {
        check();
        return outKeys.get(peer);
    }

    /** The key that decrypts {@code peer}'s share to this party. */
    ShareKey in(String peer) {
        check();
        return inKeys.get(peer);
    }

    /** A copy of the secret for {@code peer}'s pair, to reveal in a complaint (the session ends right after). */
    byte[] revealSecret(String peer) {
        check();
        return secrets.get(peer).clone();
    }

    private void check() {
        if (destroyed) {
            throw new IllegalStateException("ephemeral keys destroyed");
        }
    }

    /** The X25519 public key of {@code secret}. */
    public static byte[] publicOf(byte[] secret) {
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(secret, 0, pub, 0);
        return pub;
    }

    /** Whether {@code secret} is the secret key of {@code expectedPublic}. */
    static boolean matches(byte[] secret, byte[] expectedPublic) {
        return secret != null && secret.length == X25519.SCALAR_SIZE && expectedPublic != null
                && MessageDigest.isEqual(publicOf(secret), expectedPublic);
    }

    /**
     * X25519({@code secret}, {@code peerPublic}), or null when the public key is not 32 bytes, not canonical, or of
     * low order (all-zero output). The caller wipes the result.
     */
    public static byte[] agree(byte[] secret, byte[] peerPublic) {
        if (peerPublic == null || peerPublic.length != X25519.POINT_SIZE || !canonical(peerPublic)) {
            return null;
        }
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(secret, 0, peerPublic, 0, shared, 0)) {
            return null;
        }
        return shared;
    }

    /** u &lt; p = 2^255 − 19, little-endian (p = ED FF .. FF 7F). */
    private static boolean canonical(byte[] u) {
        if ((u[31] & 0xff) > 0x7f) {
            return false;
        }
        if ((u[31] & 0xff) < 0x7f) {
            return true;
        }
        for (int i = 30; i >= 1; i--) {
            if ((u[i] & 0xff) != 0xff) {
                return true;
            }
        }
        return (u[0] & 0xff) < 0xed;
    }

    @Override
    public void destroy() {
        destroyed = true;
        secrets.values().forEach(s -> Arrays.fill(s, (byte) 0));
        secrets.clear();
        outKeys.values().forEach(ShareKey::destroy);
        inKeys.values().forEach(ShareKey::destroy);
        outKeys.clear();
        inKeys.clear();
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "EphemeralKeys[" + received.size() + " of " + spec.peers().size() + " received, REDACTED]";
    }
}
