package io.keyfed.api.wallet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.math.ec.ECPoint;

/** Ethereum addresses with the EIP-55 mixed-case checksum. */
public final class Eip55 {
    private Eip55() {
    }

    /** "0x" + EIP-55 checksummed hex of a 20-byte address. */
    public static String checksum(byte[] address) {
        if (address == null || address.length != 20) {
            throw new IllegalArgumentException("EVM address must be 20 bytes");
        }
        String hex = HexFormat.of().formatHex(address);
        byte[] hash = Keccak256.hash(hex.getBytes(StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder(42).append("0x");
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int nibble = (hash[i / 2] >>> (i % 2 == 0 ? 4 : 0)) & 0xf;
            sb.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    /** Re-checksums a "0x"-prefixed 40-digit hex address given in any case. */
    public static String checksum(String address) {
        if (address == null || address.length() != 42 || !address.startsWith("0x")) {
            throw new IllegalArgumentException("EVM address must be 0x followed by 40 hex digits");
        }
        try {
            return checksum(HexFormat.of().parseHex(address.substring(2).toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("EVM address must be 0x followed by 40 hex digits");
        }
    }

    /** True when the address is all lower case, all upper case, or carries a correct checksum. */
    public static boolean isValid(String address) {
        String canonical;
        try {
            canonical = checksum(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String body = address.substring(2);
        return body.equals(body.toLowerCase(Locale.ROOT)) || body.equals(body.toUpperCase(Locale.ROOT))
                || canonical.equals(address);
    }

    /** Address of a secp256k1 public key: last 20 bytes of Keccak-256 of the 64-byte X||Y. */
    public static String address(ECPoint publicKey) {
        byte[] uncompressed = publicKey.normalize().getEncoded(false);
        byte[] hash = Keccak256.hash(Arrays.copyOfRange(uncompressed, 1, 65));
        return checksum(Arrays.copyOfRange(hash, 12, 32));
    }
}
