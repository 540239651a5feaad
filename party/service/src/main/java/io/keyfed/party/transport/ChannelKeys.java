package io.keyfed.party.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.party.hsm.HsmToken;

/**
 * Pairwise channel keys.
 * <ul>
 * <li>{@code K_ij = HsmToken.ecdh(agreementKey_j, info)}: static ECDH between the two parties'
 * in-token P-256 agreement keys (HKDF-SHA256 of the shared x-coordinate, done by the facade), with
 * {@code info = CanonicalWriter("keyfed/channel/v1").string(lower address).string(higher address)}.
 * Computed once per peer (one PKCS#11 call) and cached in memory until {@link #close()}.</li>
 * <li>Per session and direction: {@code HKDF-SHA256(ikm = K_ij, salt = session id,
 * info = CanonicalWriter("keyfed/channel-direction/v1").string(sender).string(recipient))}, 32 bytes:
 * the HMAC key of every envelope in that direction.</li>
 * </ul>
 * Both ends compute the same keys; nobody else can, since the agreement keys never leave the tokens. These
 * static keys authenticate; they encrypt nothing. Round-2 shares are encrypted under keys from the session's
 * ephemeral key agreement ({@link ShareKey}), so that a static key leaked later opens no recorded share.
 */
public final class ChannelKeys implements AutoCloseable {
    private final HsmToken token;
    private final String self;
    private final Map<String, byte[]> pairwise = new ConcurrentHashMap<>();

    public ChannelKeys(HsmToken token, String selfAddress) {
        this.token = token;
        this.self = selfAddress;
    }

    /** {@code info} of the pairwise ECDH for two addresses (order-independent). */
    public static byte[] pairInfo(String a, String b) {
        boolean aFirst = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)) < 0;
        return new CanonicalWriter("keyfed/channel/v1").string(aFirst ? a : b).string(aFirst ? b : a).toByteArray();
    }

    /** Blocking (one in-token ECDH the first time per peer and agreement key). */
    byte[] pairwise(PeerIdentity peer) {
        String cacheKey = peer.address() + "/" + HexFormat.of().formatHex(peer.agreementKey());
        return pairwise.computeIfAbsent(cacheKey, k -> token.ecdh(peer.agreementKey(), pairInfo(self, peer.address())));
    }

    /** Keys for messages from {@code sender} to {@code recipient} in one session. Blocking. */
    public DirectionKeys direction(PeerIdentity peer, byte[] sessionId, String sender, String recipient) {
        return derive(pairwise(peer), sessionId, sender, recipient);
    }

    /** The per-session, per-direction derivation from a pairwise key (public for tests). */
    public static DirectionKeys derive(byte[] pairwiseKey, byte[] sessionId, String sender, String recipient) {
        byte[] info = new CanonicalWriter("keyfed/channel-direction/v1").string(sender).string(recipient).toByteArray();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(pairwiseKey, sessionId, info));
        byte[] okm = new byte[32];
        hkdf.generateBytes(okm, 0, okm.length);
        return new DirectionKeys(okm);
    }

    /** Number of cached pairwise keys. */
    public int cached() {
        return pairwise.size();
    }

    @Override
    public void close() {
        pairwise.values().forEach(k -> Arrays.fill(k, (byte) 0));
        pairwise.clear();
    }

    @Override
    public String toString() {
        return "ChannelKeys[" + self + ", " + pairwise.size() + " peers, REDACTED]";
    }
}
