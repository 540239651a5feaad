package io.keyfed.api.wallet;

import io.keyfed.api.crypto.Hashes;

/** Pay-to-public-key-hash addresses: Base58Check(version bytes || Hash160(compressed key)). */
public final class TransparentAddress {
    /** Bitcoin mainnet P2PKH ("1..."). */
    public static final byte[] BITCOIN_MAINNET = {0x00};
    /** Zcash mainnet transparent P2PKH ("t1..."). */
    public static final byte[] ZCASH_MAINNET = {0x1C, (byte) 0xB8};
    /** Zcash testnet transparent P2PKH ("tm..."). */
    public static final byte[] ZCASH_TESTNET = {0x1D, 0x25};

    private TransparentAddress() {
    }

    /** Encodes a 20-byte key hash under the given version bytes. */
    public static String p2pkh(byte[] version, byte[] hash160) {
        if (hash160 == null || hash160.length != 20) {
            throw new IllegalArgumentException("P2PKH needs a 20-byte key hash");
        }
        byte[] payload = new byte[version.length + 20];
        System.arraycopy(version, 0, payload, 0, version.length);
        System.arraycopy(hash160, 0, payload, version.length, 20);
        return Base58.encodeCheck(payload);
    }

    /** P2PKH address of a compressed public key (not validated here). */
    public static String p2pkhOfKey(byte[] version, byte[] compressedPublicKey) {
        return p2pkh(version, Hashes.hash160(compressedPublicKey));
    }
}
