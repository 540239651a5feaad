package io.keyfed.ledger.service;

import java.util.HexFormat;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.ledger.v1.KeyType;

/** Stateless checks of client input; each failure is an INVALID_ARGUMENT naming the field. */
public final class Inputs {
    /** Largest serialised transaction accepted. */
    public static final int MAX_TX_BYTES = 64 * 1024;
    public static final int MAX_DESCRIPTION = 256;
    public static final int MAX_REASON = 512;
    public static final int MAX_OWNERS = 32;
    public static final int MAX_PARTIES = 32;
    public static final int MAX_KEY_TYPE = 16;
    public static final int MAX_CHAIN_ID = 64;
    public static final long MAX_AMOUNT_DIGITS = 19;

    private Inputs() {
    }

    /** A bech32 address with the given prefix. */
    public static String address(String value, String prefix, String field) {
        if (value == null || value.isEmpty()) {
            throw LedgerException.invalid(field + " is required");
        }
        try {
            Addresses.requireAddress(value, prefix, field);
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid(e.getMessage());
        }
        return value;
    }

    /** A decimal amount: digits only, no sign, no leading zero (0 itself is "0"), at most Long.MAX_VALUE. */
    public static long amount(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw LedgerException.invalid(field + " is required (decimal string)");
        }
        if (value.length() > 40) {
            throw LedgerException.invalid(field + " has " + value.length() + " characters; amounts are at most "
                    + MAX_AMOUNT_DIGITS + " digits");
        }
        if (value.startsWith("-")) {
            throw LedgerException.invalid(field + " '" + value + "' is negative; amounts are unsigned decimal strings");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw LedgerException.invalid(field + " '" + Addresses.printable(value)
                        + "' is not a decimal string of digits");
            }
        }
        if (value.length() > 1 && value.charAt(0) == '0') {
            throw LedgerException.invalid(field + " '" + value + "' has a leading zero; write amounts without one");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw LedgerException.invalid(field + " '" + value + "' overflows the largest amount " + Long.MAX_VALUE);
        }
    }

    /** A string of at most {@code max} characters. */
    public static String bounded(String value, int max, String field) {
        String v = value == null ? "" : value;
        if (v.length() > max) {
            throw LedgerException.invalid(field + " has " + v.length() + " characters, at most " + max + " allowed");
        }
        return v;
    }

    /**
     * Free text (a description, a reason) of at most {@code max} characters without control characters (C0, DEL,
     * C1: NUL, line breaks, escape sequences), so that stored text cannot break logs, terminals or storage.
     */
    public static String text(String value, int max, String field) {
        String v = bounded(value, max, field);
        for (int i = 0; i < v.length(); i++) {
            if (Character.getType(v.charAt(i)) == Character.CONTROL) {
                throw LedgerException.invalid(field + " contains the control character U+"
                        + String.format("%04X", (int) v.charAt(i)) + " at index " + i + "; only printable text is allowed");
            }
        }
        return v;
    }

    public static void listSize(int size, int max, String field) {
        if (size > max) {
            throw LedgerException.invalid(field + " has " + size + " entries, at most " + max + " allowed");
        }
    }

    /** A 33-byte compressed secp256k1 point. */
    public static byte[] secp256k1Key(byte[] key, String field) {
        try {
            Secp256k1.decodePublicKey(key);
            return key;
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid(field + ": " + e.getMessage());
        }
    }

    /** Key type of MsgNewKeyRequest: ecdsa, ed25519 (eddsa), bitcoin (btc), taproot (bitcoin-taproot). */
    public static KeyType keyType(String value) {
        String v = bounded(value, MAX_KEY_TYPE, "key_type");
        switch (v) {
            case "ecdsa":
                return KeyType.KEY_TYPE_ECDSA_SECP256K1;
            case "ed25519":
            case "eddsa":
                return KeyType.KEY_TYPE_EDDSA_ED25519;
            case "bitcoin":
            case "btc":
                return KeyType.KEY_TYPE_BITCOIN_SECP256K1;
            case "taproot":
            case "bitcoin-taproot":
                return KeyType.KEY_TYPE_BITCOIN_TAPROOT;
            default:
                throw LedgerException.invalid("unknown key_type '" + Addresses.printable(v)
                        + "'; expected ecdsa, ed25519 (eddsa), bitcoin (btc) or taproot (bitcoin-taproot)");
        }
    }

    public static String hex(byte[] b) {
        return b == null ? "" : HexFormat.of().formatHex(b);
    }

    public static byte[] parseHex(String s, String field) {
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid(field + " '" + Addresses.printable(s) + "' is not lowercase hex");
        }
    }
}
