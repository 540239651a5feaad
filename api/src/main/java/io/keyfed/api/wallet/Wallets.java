package io.keyfed.api.wallet;

import java.util.List;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;

/** Renders a public key as the addresses of the wallets that fit its key type (rules in DESIGN.md). */
public final class Wallets {
    private Wallets() {
    }

    /**
     * @param type          the key's type
     * @param publicKey     33-byte compressed secp256k1 or 32-byte ed25519 key
     * @param wanted        the wallet asked for; UNSPECIFIED means every wallet that fits the key type
     * @param prefixes      bech32 prefixes for NATIVE wallets; {@code defaultPrefix} when empty
     * @param defaultPrefix the ledger's account prefix
     * @return the wallets, empty when the wanted wallet does not fit the key type
     * @throws IllegalArgumentException for a malformed key or prefix, naming the problem
     */
    public static List<Wallet> derive(KeyType type, byte[] publicKey, WalletType wanted, List<String> prefixes,
            String defaultPrefix) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
