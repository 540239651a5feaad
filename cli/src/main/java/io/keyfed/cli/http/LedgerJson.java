package io.keyfed.cli.http;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one place that knows the ledger's JSON field names. Every other class reads responses through the
 * records and helpers here, so a renamed field is a one-line fix.
 *
 * <p>Lenient on purpose: a snake_case name falls back to its lowerCamelCase form, and numbers may arrive as
 * JSON numbers or decimal strings (the protobuf JSON mapping writes 64-bit integers as strings).
 */
public final class LedgerJson {
    // errors
    public static final String ERROR_CODE = "code";
    public static final String ERROR_MESSAGE = "message";
    // params
    public static final String CHAIN_ID = "chain_id";
    public static final String ADDRESS_PREFIX = "address_prefix";
    public static final String DENOM = "denom";
    // accounts and balances
    public static final String ADDRESS = "address";
    public static final String PUBLIC_KEY = "public_key";
    public static final String SEQUENCE = "sequence";
    public static final String BALANCE = "balance";
    public static final String AMOUNT = "amount";
    // tx submission and result
    public static final String TX_BYTES = "tx_bytes";
    public static final String HEIGHT = "height";
    public static final String HASH = "hash";
    public static final String OUTCOME = "outcome";
    public static final String CREATED_ADDRESS = "created_address";
    public static final String KEY_REQUEST_ID = "key_request_id";
    // tx log
    public static final String TXS = "txs";
    public static final String PREV_HASH = "prev_hash";
    public static final String KIND = "kind";
    public static final String SENDER = "sender";
    public static final String TIME_UNIX_MS = "time_unix_ms";
    public static final String NEXT_PAGE_TOKEN = "next_page_token";
    /** The tx log may page by height instead of token: next height to ask for, 0 at the end. */
    public static final String NEXT_FROM_HEIGHT = "next_from_height";
    // treasury and identity
    public static final String KEY = "key";
    public static final String KEYS = "keys";
    public static final String WALLETS = "wallets";
    public static final String REQUESTS = "requests";
    public static final String WORKSPACES = "workspaces";
    public static final String OWNERS = "owners";
    public static final String ID = "id";
    public static final String STATUS = "status";
    public static final String REJECT_REASON = "reject_reason";
    public static final String KEYRING_PARTY_SIGS = "keyring_party_sigs";
    public static final String PARTY_THRESHOLD = "party_threshold";
    public static final String TYPE = "type";
    public static final String KEY_TYPE = "key_type";
    public static final String WORKSPACE_ADDR = "workspace_addr";
    public static final String KEYRING_ADDR = "keyring_addr";

    // sign requests
    public static final String SIGN_REQUEST_ID = "sign_request_id";
    public static final String KEY_ID = "key_id";
    public static final String SCHEME = "scheme";
    public static final String MESSAGES = "messages";
    public static final String VERIFYING_KEY = "verifying_key";
    public static final String SIGNATURES = "signatures";
    public static final String RECOVERY_IDS = "recovery_ids";
    public static final String FEE = "fee";
    public static final String SIGN_STATUS_PREFIX = "SIGN_REQUEST_STATUS_";
    public static final String SIGN_STATUS_FULFILLED = "SIGN_REQUEST_STATUS_FULFILLED";
    public static final String SIGN_STATUS_REJECTED = "SIGN_REQUEST_STATUS_REJECTED";
    public static final String SCHEME_PREFIX = "SIGNATURE_SCHEME_";
    public static final String SCHEME_ECDSA = "SIGNATURE_SCHEME_ECDSA_SECP256K1";
    public static final String KEY_TYPE_BITCOIN = "KEY_TYPE_BITCOIN_SECP256K1";
    public static final String WALLET_EVM = "WALLET_TYPE_EVM";

    public static final String STATUS_PREFIX = "KEY_REQUEST_STATUS_";
    public static final String STATUS_FULFILLED = "KEY_REQUEST_STATUS_FULFILLED";
    public static final String STATUS_REJECTED = "KEY_REQUEST_STATUS_REJECTED";
    public static final String WALLET_PREFIX = "WALLET_TYPE_";

    private LedgerJson() {
    }

    public record Params(String chainId, String addressPrefix, String denom) {
    }

    public record Account(String address, String publicKeyHex, long sequence, String balance) {
    }

    public record TxResult(long height, String hash, String outcome, String createdAddress, long keyRequestId) {
    }

    /** One tx-log entry as needed to recompute its hash. */
    public record TxEntry(long height, String hash, String prevHash, byte[] txBytes, String outcome) {
    }

    public record KeyRequestState(long id, String status, String rejectReason, int responses, long threshold) {
        public boolean isFinal() {
            return STATUS_FULFILLED.equals(status) || STATUS_REJECTED.equals(status);
        }
    }

    /** A sign request as the client shows it: where it stands, and once FULFILLED what it produced. */
    public record SignRequestState(long id, String status, String rejectReason, String fee, String scheme,
            String verifyingKey, List<String> messages, List<String> signatures, List<Long> recoveryIds, int answers,
            long threshold, long keyId, String keyType) {
        public boolean isFinal() {
            return SIGN_STATUS_FULFILLED.equals(status) || SIGN_STATUS_REJECTED.equals(status);
        }
    }

    public static SignRequestState signRequest(JsonNode n) {
        JsonNode sigs = field(n, KEYRING_PARTY_SIGS);
        List<Long> recovery = new ArrayList<>();
        for (JsonNode v : items(n, RECOVERY_IDS)) {
            recovery.add(v.asLong());
        }
        return new SignRequestState(number(n, ID), text(n, STATUS), text(n, REJECT_REASON), text(n, FEE),
                text(n, SCHEME), text(n, VERIFYING_KEY), texts(n, MESSAGES), texts(n, SIGNATURES), recovery,
                sigs != null && sigs.isArray() ? sigs.size() : 0, number(n, PARTY_THRESHOLD), number(n, KEY_ID),
                text(n, KEY_TYPE));
    }

    private static List<String> texts(JsonNode n, String listField) {
        return items(n, listField).stream().map(JsonNode::asText).toList();
    }

    public static Params params(JsonNode n) {
        return new Params(text(n, CHAIN_ID), text(n, ADDRESS_PREFIX), text(n, DENOM));
    }

    public static Account account(JsonNode n) {
        return new Account(text(n, ADDRESS), text(n, PUBLIC_KEY), number(n, SEQUENCE), text(n, BALANCE));
    }

    public static TxResult txResult(JsonNode n) {
        return new TxResult(number(n, HEIGHT), text(n, HASH), text(n, OUTCOME), text(n, CREATED_ADDRESS),
                number(n, KEY_REQUEST_ID));
    }

    public static TxEntry txEntry(JsonNode n) {
        return new TxEntry(number(n, HEIGHT), text(n, HASH), text(n, PREV_HASH), bytes(n, TX_BYTES),
                text(n, OUTCOME));
    }

    public static KeyRequestState keyRequest(JsonNode n) {
        JsonNode sigs = field(n, KEYRING_PARTY_SIGS);
        return new KeyRequestState(number(n, ID), text(n, STATUS), text(n, REJECT_REASON),
                sigs != null && sigs.isArray() ? sigs.size() : 0, number(n, PARTY_THRESHOLD));
    }

    /** Items of a list response, e.g. {@code {"txs":[...]}}. */
    public static List<JsonNode> items(JsonNode page, String listField) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode arr = field(page, listField);
        if (arr != null && arr.isArray()) {
            arr.forEach(out::add);
        }
        return out;
    }

    /** Wallets of a key response as (type, address) pairs. */
    public static List<String[]> wallets(JsonNode keyResponse) {
        List<String[]> out = new ArrayList<>();
        for (JsonNode w : items(keyResponse, WALLETS)) {
            out.add(new String[] {text(w, TYPE), text(w, ADDRESS)});
        }
        return out;
    }

    public static String nextPageToken(JsonNode page) {
        return text(page, NEXT_PAGE_TOKEN);
    }

    public static long nextFromHeight(JsonNode page) {
        return number(page, NEXT_FROM_HEIGHT);
    }

    /** The field by its snake_case name, or its lowerCamelCase form; null when absent or JSON null. */
    public static JsonNode field(JsonNode n, String snake) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(snake);
        if (v == null || v.isNull()) {
            v = n.get(camel(snake));
        }
        return v == null || v.isNull() ? null : v;
    }

    /** Text of a field, "" when absent. */
    public static String text(JsonNode n, String snake) {
        JsonNode v = field(n, snake);
        return v == null ? "" : v.asText();
    }

    /** A whole-number field given as a JSON number or decimal string; 0 when absent. */
    public static long number(JsonNode n, String snake) {
        JsonNode v = field(n, snake);
        if (v == null) {
            return 0;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        String s = v.asText().strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field " + snake + " is not a whole number: '" + s + "'");
        }
    }

    /** A bytes field: lowercase hex by convention, base64 accepted when the text is not hex. */
    public static byte[] bytes(JsonNode n, String snake) {
        String s = text(n, snake);
        if (s.isEmpty()) {
            return new byte[0];
        }
        if (s.length() % 2 == 0 && s.matches("[0-9a-fA-F]+")) {
            return HexFormat.of().parseHex(s);
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field " + snake + " is neither hex nor base64");
        }
    }

    static String camel(String snake) {
        StringBuilder sb = new StringBuilder(snake.length());
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
