package io.keyfed.party.dkg;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * In-memory round-1 signing keys for {@link LocalFederation} (tests and benchmarks): one random Ed25519 key per
 * participant (BouncyCastle's RFC 8032 code, byte arrays only), signing lp("KEYFED-DKG-v1-local-round1") ||
 * digest. The party service signs in its token instead (see its README). Holds private keys in memory, so it is
 * for in-memory runs only; {@link #destroy()} wipes them.
 */
public final class LocalSigners implements Round1Verifier, Destroyable {
    private static final byte[] SIGN_DOMAIN = "KEYFED-DKG-v1-local-round1".getBytes(StandardCharsets.US_ASCII);

    private final byte[][] secrets;
    private final byte[][] publics;
    private boolean destroyed;

    private LocalSigners(int n, SecureRandom rng) {
        secrets = new byte[n + 1][];
        publics = new byte[n + 1][];
        for (int i = 1; i <= n; i++) {
            secrets[i] = new byte[Ed25519.SECRET_KEY_SIZE];
            publics[i] = new byte[Ed25519.PUBLIC_KEY_SIZE];
            Ed25519.generatePrivateKey(rng, secrets[i]);
            Ed25519.generatePublicKey(secrets[i], 0, publics[i], 0);
        }
    }

    /** Fresh keys for participants 1..n. */
    public static LocalSigners generate(int n, SecureRandom rng) {
        return new LocalSigners(n, rng);
    }

    public int n() {
        return secrets.length - 1;
    }

    /** Participant {@code participant}'s 64-byte signature over a round-1 digest. */
    public byte[] sign(int participant, byte[] digest) {
        if (destroyed) {
            throw new IllegalStateException("destroyed");
        }
        byte[] m = message(digest);
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secrets[participant], 0, m, 0, m.length, sig, 0);
        return sig;
    }

    @Override
    public boolean verify(int participant, byte[] digest, byte[] signature) {
        if (participant < 1 || participant > n() || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        byte[] m = message(digest);
        return Ed25519.verify(signature, 0, publics[participant], 0, m, 0, m.length);
    }

    private static byte[] message(byte[] digest) {
        byte[] m = new byte[2 + SIGN_DOMAIN.length + 2 + digest.length];
        m[0] = (byte) (SIGN_DOMAIN.length >>> 8);
        m[1] = (byte) SIGN_DOMAIN.length;
        System.arraycopy(SIGN_DOMAIN, 0, m, 2, SIGN_DOMAIN.length);
        int at = 2 + SIGN_DOMAIN.length;
        m[at] = (byte) (digest.length >>> 8);
        m[at + 1] = (byte) digest.length;
        System.arraycopy(digest, 0, m, at + 2, digest.length);
        return m;
    }

    @Override
    public void destroy() {
        for (byte[] s : secrets) {
            if (s != null) {
                Arrays.fill(s, (byte) 0);
            }
        }
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "LocalSigners[n=" + n() + ", REDACTED]";
    }
}
