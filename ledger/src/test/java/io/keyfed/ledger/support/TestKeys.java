package io.keyfed.ledger.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;

/**
 * Deterministic software secp256k1 keys for tests (standing in for clients' key files and the
 * parties' HSMs). Never use these anywhere else.
 */
public final class TestKeys {
    public static final String CHAIN_ID = "keyfed-test";
    public static final String PREFIX = "zen";
    public static final int FUNDED = 40;
    public static final long GENESIS_AMOUNT = 1_000_000L;

    private TestKeys() {
    }

    /** A test key pair; the private scalar is not printed. */
    public record TestAccount(BigInteger privateKey, byte[] publicKey, String address) {
        public byte[] sign(byte[] message) {
            return Secp256k1.sign(privateKey, message);
        }

        @Override
        public String toString() {
            return "TestAccount[" + address + "]";
        }
    }

    /** Accounts 1..FUNDED are funded at genesis; others (e.g. 100+) are not. */
    public static TestAccount account(int i) {
        BigInteger d = new BigInteger(1, Hashes.sha256(("keyfed-ledger-test-key-" + i).getBytes(StandardCharsets.UTF_8)))
                .mod(Secp256k1.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        byte[] pub = Secp256k1.publicKeyOf(d);
        return new TestAccount(d, pub, Addresses.account(PREFIX, pub));
    }
}
