package io.keyfed.cli.keys;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;

/**
 * A secp256k1 account key. Deliberately has no toString, equals or accessor for the private scalar:
 * the only things it gives out are the public key and signatures.
 */
public final class SigningKey {
    private final String name;
    private final byte[] secret;
    private final byte[] publicKey;

    private SigningKey(String name, byte[] secret32) {
        this.name = name;
        this.secret = secret32.clone();
        this.publicKey = Secp256k1.publicKeyOf(new BigInteger(1, secret));
    }

    /** A fresh key from SecureRandom. */
    public static SigningKey generate(String name, SecureRandom random) {
        byte[] d = new byte[32];
        try {
            while (true) {
                random.nextBytes(d);
                BigInteger k = new BigInteger(1, d);
                if (k.signum() > 0 && k.compareTo(Secp256k1.N) < 0) {
                    return new SigningKey(name, d);
                }
            }
        } finally {
            Arrays.fill(d, (byte) 0);
        }
    }

    /** Rebuilds a key from its 32-byte big-endian scalar; the caller wipes its copy. */
    static SigningKey fromSecret(String name, byte[] secret32) throws KeyStoreException {
        if (secret32.length != 32) {
            throw new KeyStoreException("key '" + name + "': private key must be 32 bytes");
        }
        BigInteger k = new BigInteger(1, secret32);
        if (k.signum() <= 0 || k.compareTo(Secp256k1.N) >= 0) {
            throw new KeyStoreException("key '" + name + "': private key out of range");
        }
        return new SigningKey(name, secret32);
    }

    /** Copy of the secret, only for writing the key file; the caller must wipe it. */
    byte[] exportSecret() {
        return secret.clone();
    }

    public String name() {
        return name;
    }

    /** 33-byte compressed public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String address(String prefix) {
        return Addresses.account(prefix, publicKey);
    }

    /** 64-byte R||S low-S signature over SHA-256(message). */
    public byte[] sign(byte[] message) {
        return Secp256k1.sign(new BigInteger(1, secret), message);
    }

    /** Overwrites the secret in memory. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }
}
