package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.WalletType;
import io.keyfed.cli.http.LedgerJson;

/** Short enum names on the command line ("evm", "pending") to full proto enum names. */
final class EnumArgs {
    static final List<String> KEY_TYPES = List.of("ecdsa", "ed25519", "eddsa", "bitcoin", "btc", "taproot",
            "bitcoin-taproot");
    /** Short wallet type names, for shell completion. */
    static final List<String> WALLET_TYPES = shortNames(WalletType.values(), LedgerJson.WALLET_PREFIX);
    /** Short status names, for shell completion. */
    static final List<String> STATUSES = shortNames(KeyRequestStatus.values(), LedgerJson.STATUS_PREFIX);

    private EnumArgs() {
    }

    static String walletType(Args a, String option) {
        String v = a.get(option);
        if (v == null) {
            return null;
        }
        String full = full(LedgerJson.WALLET_PREFIX, v);
        for (WalletType t : WalletType.values()) {
            if (t != WalletType.UNRECOGNIZED && t.name().equals(full)) {
                return full;
            }
        }
        throw a.error("unknown wallet type '" + v + "'; one of: " + names(WalletType.values(), LedgerJson.WALLET_PREFIX));
    }

    static String status(Args a, String option) {
        String v = a.get(option);
        if (v == null) {
            return null;
        }
        String full = full(LedgerJson.STATUS_PREFIX, v);
        for (KeyRequestStatus s : KeyRequestStatus.values()) {
            if (s != KeyRequestStatus.UNRECOGNIZED && s.name().equals(full)) {
                return full;
            }
        }
        throw a.error("unknown status '" + v + "'; one of: "
                + names(KeyRequestStatus.values(), LedgerJson.STATUS_PREFIX));
    }

    static String keyType(Args a, String option) {
        String v = a.get(option);
        String lower = v.toLowerCase(Locale.ROOT);
        if (!KEY_TYPES.contains(lower)) {
            throw a.error("unknown key type '" + v + "'; one of: ecdsa, ed25519 (eddsa), bitcoin (btc), taproot"
                    + " (bitcoin-taproot)");
        }
        return lower;
    }

    /** Strips a full enum prefix for display: KEY_REQUEST_STATUS_PENDING to PENDING. */
    static String shortName(String full, String prefix) {
        return full.startsWith(prefix) ? full.substring(prefix.length()) : full;
    }

    private static String full(String prefix, String v) {
        String u = v.toUpperCase(Locale.ROOT).replace('-', '_');
        return u.startsWith(prefix) ? u : prefix + u;
    }

    private static String names(Enum<?>[] values, String prefix) {
        return String.join(", ", shortNames(values, prefix));
    }

    private static List<String> shortNames(Enum<?>[] values, String prefix) {
        List<String> out = new ArrayList<>();
        for (Enum<?> e : values) {
            if (!e.name().equals("UNRECOGNIZED")) {
                out.add(shortName(e.name(), prefix).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }
}
