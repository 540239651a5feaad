package io.keyfed.api.wallet;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Bech32;

/** Validation of bech32 human-readable parts (address prefixes). */
public final class HumanReadablePart {
    /** BIP-173: 1 to 83 characters. */
    public static final int MAX_LENGTH = 83;
    /** Longest prefix whose 20-byte address still fits bech32's 90 characters: 90 - 1 - 32 - 6. */
    public static final int MAX_LENGTH_FOR_20_BYTES = Bech32.MAX_LENGTH - 1 - 32 - 6;

    private HumanReadablePart() {
    }

    /**
     * Requires 1..83 characters of US-ASCII 33..126 with no upper-case letters, short enough that an
     * address over 20 bytes stays within bech32's 90-character limit.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static void requireValidFor20Bytes(String hrp) {
        if (hrp == null || hrp.isEmpty()) {
            throw new IllegalArgumentException("bech32 prefix is empty");
        }
        if (hrp.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("bech32 prefix '" + Addresses.printable(hrp) + "' is longer than "
                    + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126) {
                throw new IllegalArgumentException("bech32 prefix '" + Addresses.printable(hrp)
                        + "' has a character outside US-ASCII 33..126 at position " + i);
            }
            if (c >= 'A' && c <= 'Z') {
                throw new IllegalArgumentException("bech32 prefix '" + Addresses.printable(hrp)
                        + "' must be lower case");
            }
        }
        if (hrp.length() > MAX_LENGTH_FOR_20_BYTES) {
            throw new IllegalArgumentException("bech32 prefix '" + Addresses.printable(hrp) + "' is longer than "
                    + MAX_LENGTH_FOR_20_BYTES + " characters, so its addresses would exceed bech32's "
                    + Bech32.MAX_LENGTH + "-character limit");
        }
    }
}
