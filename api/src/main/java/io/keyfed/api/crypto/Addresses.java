package io.keyfed.api.crypto;

import java.util.Arrays;

import io.keyfed.api.encoding.CanonicalWriter;

/** KeyFed account, workspace and keyring addresses. */
public final class Addresses {
    /** Default account prefix. */
    public static final String DEFAULT_PREFIX = "zen";
    public static final String WORKSPACE_PREFIX = "workspace";
    public static final String KEYRING_PREFIX = "keyring";

    private Addresses() {
    }

    /**
     * The address of the workspace that {@code creator}'s transaction at {@code sequence} creates:
     * bech32("workspace", first 20 bytes of SHA-256(canonical("keyfed/workspace/v1", creator, sequence))). The
     * ledger assigns it; the bench's prefill writes the same.
     */
    public static String workspace(String creator, long sequence) {
        return created("keyfed/workspace/v1", WORKSPACE_PREFIX, creator, sequence);
    }

    /** The keyring address, as {@link #workspace} with the tag "keyfed/keyring/v1" and the prefix "keyring". */
    public static String keyring(String creator, long sequence) {
        return created("keyfed/keyring/v1", KEYRING_PREFIX, creator, sequence);
    }

    private static String created(String tag, String prefix, String creator, long sequence) {
        byte[] h = Hashes.sha256(new CanonicalWriter(tag).string(creator).u64(sequence).toByteArray());
        return Bech32.encode(prefix, Arrays.copyOf(h, 20));
    }

    /** bech32(prefix, RIPEMD160(SHA256(33-byte compressed key))). */
    public static String account(String prefix, byte[] compressedPublicKey) {
        Secp256k1.decodePublicKey(compressedPublicKey);
        return Bech32.encode(prefix, Hashes.hash160(compressedPublicKey));
    }

    /**
     * Checks that {@code address} is a bech32 string with the expected prefix and a 20-byte payload.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static byte[] requireAddress(String address, String expectedPrefix, String what) {
        Bech32.Decoded d;
        try {
            d = Bech32.decode(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + printable(address) + "' is not valid bech32: "
                    + e.getMessage());
        }
        if (!d.hrp().equals(expectedPrefix)) {
            throw new IllegalArgumentException(what + " '" + printable(address) + "' has prefix '" + d.hrp()
                    + "', expected '" + expectedPrefix + "'");
        }
        if (d.data().length != 20) {
            throw new IllegalArgumentException(what + " '" + printable(address) + "' must carry 20 bytes, has "
                    + d.data().length);
        }
        if (!address.equals(address.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException(what + " '" + printable(address) + "' must be lower case");
        }
        return d.data();
    }

    /** Truncates and strips control characters, so error messages stay readable. */
    public static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
