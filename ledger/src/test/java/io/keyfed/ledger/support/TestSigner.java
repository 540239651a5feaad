package io.keyfed.ledger.support;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import io.keyfed.api.crypto.Hashes;

/**
 * A signing key held by a test, standing in for the threshold key the parties will share: the parties report its
 * public key when the key is made, and the test produces the signatures their answers carry. Never use it
 * anywhere else; no toString prints the secret.
 */
public interface TestSigner {
    /** The key as the parties report it (the key request's public_key). */
    byte[] publicKey();

    /** A 64-byte signature of {@code message} in the key's scheme. */
    byte[] sign(byte[] message);

    /** An Ed25519 key from a deterministic seed (RFC 8032 signing, BouncyCastle). */
    static TestSigner ed25519(String seedLabel) {
        byte[] seed = Hashes.sha256(("keyfed-ledger-test-ed25519-" + seedLabel).getBytes(StandardCharsets.UTF_8));
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return new TestSigner() {
            @Override
            public byte[] publicKey() {
                return pk.clone();
            }

            @Override
            public byte[] sign(byte[] message) {
                byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
                return sig;
            }

            @Override
            public String toString() {
                return "TestSigner[ed25519]";
            }
        };
    }
}
