package io.keyfed.ledger.rest;

import java.util.Arrays;
import java.util.List;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.SignRequestStatus;
import io.keyfed.api.ledger.v1.WalletType;
import io.keyfed.ledger.service.LedgerException;

/** Parsing of REST query parameters, with messages naming the parameter. */
final class Params {
    private Params() {
    }

    static String str(String v) {
        return v == null ? "" : v;
    }

    static long number(String v, String name) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        if (v.length() > 20 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw LedgerException.invalid(name + " '" + io.keyfed.api.crypto.Addresses.printable(v)
                    + "' is not a non-negative integer");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw LedgerException.invalid(name + " '" + v + "' is too large");
        }
    }

    static WalletType walletType(String v) {
        if (v == null || v.isEmpty()) {
            return WalletType.WALLET_TYPE_UNSPECIFIED;
        }
        String up = v.toUpperCase(java.util.Locale.ROOT);
        for (WalletType t : WalletType.values()) {
            if (t != WalletType.UNRECOGNIZED && (t.name().equals(up) || t.name().equals("WALLET_TYPE_" + up))) {
                return t;
            }
        }
        throw LedgerException.invalid("wallet_type '" + io.keyfed.api.crypto.Addresses.printable(v)
                + "' is not a wallet type (NATIVE, EVM, BTC_TESTNET, BTC_MAINNET, BTC_REGNET, SOLANA, ZCASH_MAINNET,"
                + " ZCASH_TESTNET, BTC_TAPROOT_MAINNET, BTC_TAPROOT_TESTNET, BTC_TAPROOT_REGNET or the full"
                + " WALLET_TYPE_* name)");
    }

    static KeyRequestStatus status(String v) {
        if (v == null || v.isEmpty()) {
            return KeyRequestStatus.KEY_REQUEST_STATUS_UNSPECIFIED;
        }
        String up = v.toUpperCase(java.util.Locale.ROOT);
        for (KeyRequestStatus s : KeyRequestStatus.values()) {
            if (s != KeyRequestStatus.UNRECOGNIZED && (s.name().equals(up) || s.name().equals("KEY_REQUEST_STATUS_" + up))) {
                return s;
            }
        }
        throw LedgerException.invalid("status '" + io.keyfed.api.crypto.Addresses.printable(v)
                + "' is not a key request status (PENDING, PARTIAL, FULFILLED, REJECTED)");
    }

    static SignRequestStatus signStatus(String v) {
        if (v == null || v.isEmpty()) {
            return SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED;
        }
        String up = v.toUpperCase(java.util.Locale.ROOT);
        for (SignRequestStatus s : SignRequestStatus.values()) {
            if (s != SignRequestStatus.UNRECOGNIZED && s != SignRequestStatus.SIGN_REQUEST_STATUS_UNSPECIFIED
                    && (s.name().equals(up) || s.name().equals("SIGN_REQUEST_STATUS_" + up))) {
                return s;
            }
        }
        throw LedgerException.invalid("status '" + io.keyfed.api.crypto.Addresses.printable(v)
                + "' is not a sign request status (PENDING, PARTIAL, FULFILLED, REJECTED)");
    }

    static List<String> prefixes(String v) {
        if (v == null || v.isBlank()) {
            return List.of();
        }
        if (v.length() > 1000) {
            throw LedgerException.invalid("prefixes has " + v.length() + " characters, at most 1000 allowed");
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
