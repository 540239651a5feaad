package io.keyfed.api.wallet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;

/** Renders a public key as the addresses of the wallets that fit its key type (rules in DESIGN.md). */
public final class Wallets {
    /** Most NATIVE prefixes one query may ask for. */
    public static final int MAX_PREFIXES = 16;

    /** Wallets per key type, in enum (number) order. */
    private static final List<WalletType> ECDSA = List.of(WalletType.WALLET_TYPE_NATIVE, WalletType.WALLET_TYPE_EVM);
    private static final List<WalletType> BITCOIN = List.of(WalletType.WALLET_TYPE_BTC_TESTNET,
            WalletType.WALLET_TYPE_BTC_MAINNET, WalletType.WALLET_TYPE_BTC_REGNET,
            WalletType.WALLET_TYPE_ZCASH_MAINNET, WalletType.WALLET_TYPE_ZCASH_TESTNET);
    private static final List<WalletType> ED25519 = List.of(WalletType.WALLET_TYPE_SOLANA);
    private static final List<WalletType> TAPROOT = List.of(WalletType.WALLET_TYPE_BTC_TAPROOT_MAINNET,
            WalletType.WALLET_TYPE_BTC_TAPROOT_TESTNET, WalletType.WALLET_TYPE_BTC_TAPROOT_REGNET);

    private Wallets() {
    }

    /** The wallet types that fit {@code type}, in enum order (empty for an unknown key type). */
    public static List<WalletType> fitting(KeyType type) {
        if (type == null) {
            return List.of();
        }
        return switch (type) {
            case KEY_TYPE_ECDSA_SECP256K1 -> ECDSA;
            case KEY_TYPE_BITCOIN_SECP256K1 -> BITCOIN;
            case KEY_TYPE_EDDSA_ED25519 -> ED25519;
            case KEY_TYPE_BITCOIN_TAPROOT -> TAPROOT;
            default -> List.of();
        };
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
        if (type == null || type == KeyType.KEY_TYPE_UNSPECIFIED || type == KeyType.UNRECOGNIZED) {
            throw new IllegalArgumentException("key type must be ecdsa, ed25519, bitcoin or taproot, got "
                    + (type == null ? "none" : type.name()));
        }
        if (wanted == null) {
            wanted = WalletType.WALLET_TYPE_UNSPECIFIED;
        }
        if (wanted == WalletType.UNRECOGNIZED) {
            throw new IllegalArgumentException("unknown wallet type");
        }
        List<String> hrps = nativePrefixes(prefixes, defaultPrefix);

        List<WalletType> fitting;
        ECPoint point = null;
        byte[] outputKey = null;
        switch (type) {
            case KEY_TYPE_ECDSA_SECP256K1 -> {
                point = secp256k1(publicKey, "ecdsa");
                fitting = ECDSA;
            }
            case KEY_TYPE_BITCOIN_SECP256K1 -> {
                point = secp256k1(publicKey, "bitcoin");
                fitting = BITCOIN;
            }
            case KEY_TYPE_EDDSA_ED25519 -> {
                Ed25519Keys.requireValid(publicKey);
                fitting = ED25519;
            }
            case KEY_TYPE_BITCOIN_TAPROOT -> {
                secp256k1(publicKey, "taproot");
                outputKey = Taproot.outputKey(publicKey);
                fitting = TAPROOT;
            }
            default -> throw new IllegalArgumentException("unsupported key type " + type.name());
        }

        List<Wallet> out = new ArrayList<>();
        for (WalletType w : fitting) {
            if (wanted != WalletType.WALLET_TYPE_UNSPECIFIED && wanted != w) {
                continue;
            }
            switch (w) {
                case WALLET_TYPE_NATIVE -> {
                    byte[] h = Hashes.hash160(publicKey);
                    for (String hrp : hrps) {
                        out.add(wallet(w, Bech32.encode(hrp, h)));
                    }
                }
                case WALLET_TYPE_EVM -> out.add(wallet(w, Eip55.address(point)));
                case WALLET_TYPE_BTC_MAINNET -> out.add(wallet(w, SegwitAddress.p2wpkh("bc", hash160(publicKey))));
                case WALLET_TYPE_BTC_TESTNET -> out.add(wallet(w, SegwitAddress.p2wpkh("tb", hash160(publicKey))));
                case WALLET_TYPE_BTC_REGNET -> out.add(wallet(w, SegwitAddress.p2wpkh("bcrt", hash160(publicKey))));
                case WALLET_TYPE_ZCASH_MAINNET -> out.add(wallet(w,
                        TransparentAddress.p2pkhOfKey(TransparentAddress.ZCASH_MAINNET, publicKey)));
                case WALLET_TYPE_ZCASH_TESTNET -> out.add(wallet(w,
                        TransparentAddress.p2pkhOfKey(TransparentAddress.ZCASH_TESTNET, publicKey)));
                case WALLET_TYPE_SOLANA -> out.add(wallet(w, Base58.encode(publicKey)));
                case WALLET_TYPE_BTC_TAPROOT_MAINNET -> out.add(wallet(w, SegwitAddress.p2tr("bc", outputKey)));
                case WALLET_TYPE_BTC_TAPROOT_TESTNET -> out.add(wallet(w, SegwitAddress.p2tr("tb", outputKey)));
                case WALLET_TYPE_BTC_TAPROOT_REGNET -> out.add(wallet(w, SegwitAddress.p2tr("bcrt", outputKey)));
                default -> throw new IllegalStateException("no rule for " + w);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The key signatures verify under: x(Q), the BIP-86 output key, for a taproot key; the public key itself
     * for the other types.
     *
     * @throws IllegalArgumentException for a malformed key or an unknown key type, naming the problem
     */
    public static byte[] verifyingKey(KeyType type, byte[] publicKey) {
        if (type == null) {
            throw new IllegalArgumentException("key type must be given");
        }
        return switch (type) {
            case KEY_TYPE_BITCOIN_TAPROOT -> {
                secp256k1(publicKey, "taproot");
                yield Taproot.outputKey(publicKey);
            }
            case KEY_TYPE_ECDSA_SECP256K1, KEY_TYPE_BITCOIN_SECP256K1, KEY_TYPE_EDDSA_ED25519 -> {
                if (publicKey == null) {
                    throw new IllegalArgumentException("public key must be given");
                }
                yield publicKey.clone();
            }
            default -> throw new IllegalArgumentException("unsupported key type " + type.name());
        };
    }

    /** The validated NATIVE prefixes: {@code prefixes} without repeats, or the default when empty. */
    static List<String> nativePrefixes(List<String> prefixes, String defaultPrefix) {
        if (prefixes == null || prefixes.isEmpty()) {
            try {
                HumanReadablePart.requireValidFor20Bytes(defaultPrefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("default " + e.getMessage());
            }
            return List.of(defaultPrefix);
        }
        if (prefixes.size() > MAX_PREFIXES) {
            throw new IllegalArgumentException("too many bech32 prefixes: " + prefixes.size() + ", at most "
                    + MAX_PREFIXES);
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String p : prefixes) {
            HumanReadablePart.requireValidFor20Bytes(p);
            unique.add(p);
        }
        return List.copyOf(unique);
    }

    private static ECPoint secp256k1(byte[] publicKey, String what) {
        try {
            return Secp256k1.decodePublicKey(publicKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + e.getMessage()
                    + (publicKey != null && publicKey.length == 65 ? " (uncompressed keys are not accepted)" : ""));
        }
    }

    private static byte[] hash160(byte[] key) {
        return Hashes.hash160(key);
    }

    private static Wallet wallet(WalletType type, String address) {
        return Wallet.newBuilder().setType(type).setAddress(address).build();
    }
}
