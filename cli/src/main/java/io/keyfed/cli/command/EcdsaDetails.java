package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.math.ec.ECPoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.wallet.Eip55;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.sig.EcdsaSignature;

/**
 * The forms of a FULFILLED ECDSA sign request's signatures (r, s, v, the Ethereum 65 bytes, DER for bitcoin
 * keys) and the check that each recovers, over its message, to the key the ledger gives: the key's EVM address
 * (ecdsa keys) and its public key (both types). The recovery is computed here, from digest, signature and
 * recovery id.
 */
final class EcdsaDetails {
    /** The field the client adds to a sign request's JSON: one object per signature. */
    static final String FIELD = "ecdsa";

    /** One signature and what it recovers to. */
    record Row(int index, EcdsaSignature sig, boolean bitcoin, String recoveredPublicKey, String recoveredAddress,
            String keyAddress, boolean matches) {
    }

    private EcdsaDetails() {
    }

    /** True for a FULFILLED request of an ecdsa or bitcoin key that carries signatures. */
    static boolean applies(LedgerJson.SignRequestState st) {
        return LedgerJson.SCHEME_ECDSA.equals(st.scheme()) && LedgerJson.SIGN_STATUS_FULFILLED.equals(st.status())
                && !st.signatures().isEmpty();
    }

    /** Reads the key from the ledger and works out each signature's forms and what it recovers to. */
    static List<Row> compute(Context ctx, LedgerJson.SignRequestState st) throws Exception {
        JsonNode keyResponse = ctx.api().key(st.keyId(), null, null);
        byte[] keyPublic = LedgerJson.bytes(LedgerJson.field(keyResponse, LedgerJson.KEY), LedgerJson.PUBLIC_KEY);
        String ledgerEvm = null;
        for (String[] w : LedgerJson.wallets(keyResponse)) {
            if (LedgerJson.WALLET_EVM.equals(w[0])) {
                ledgerEvm = w[1];
            }
        }
        return rows(st, keyPublic, ledgerEvm);
    }

    /**
     * The rows, given the key's public key and (for ecdsa keys) the EVM address the ledger derives for it.
     *
     * @throws CliException if the ledger's answer is malformed (a signature, recovery id or key that cannot be
     *                      read)
     */
    static List<Row> rows(LedgerJson.SignRequestState st, byte[] keyPublic, String ledgerEvm) throws CliException {
        ECPoint key;
        try {
            key = Secp256k1.decodePublicKey(keyPublic);
        } catch (IllegalArgumentException e) {
            throw new CliException("BAD_RESPONSE", "key " + st.keyId() + ": " + e.getMessage());
        }
        boolean bitcoin = LedgerJson.KEY_TYPE_BITCOIN.equals(st.keyType());
        // An ecdsa key is checked against the EVM address the ledger gives; a bitcoin key has no EVM wallet on
        // the ledger, so against the address of its public key (and both against the public key itself).
        String keyAddress = ledgerEvm != null && !ledgerEvm.isEmpty() ? ledgerEvm : Eip55.address(key);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < st.signatures().size(); i++) {
            if (i >= st.recoveryIds().size() || i >= st.messages().size()) {
                throw new CliException("BAD_RESPONSE", "sign request " + st.id() + ": signature " + (i + 1)
                        + " has no recovery id or message");
            }
            try {
                EcdsaSignature sig = EcdsaSignature.of(HexFormat.of().parseHex(st.signatures().get(i)),
                        st.recoveryIds().get(i));
                byte[] digest = HexFormat.of().parseHex(st.messages().get(i));
                ECPoint recovered = sig.recoverPublicKey(digest);
                String address = Eip55.address(recovered);
                boolean matches = Arrays.equals(recovered.getEncoded(true), key.getEncoded(true))
                        && address.equalsIgnoreCase(keyAddress);
                rows.add(new Row(i + 1, sig, bitcoin, HexFormat.of().formatHex(recovered.getEncoded(true)), address,
                        keyAddress, matches));
            } catch (IllegalArgumentException e) {
                throw new CliException("BAD_RESPONSE", "sign request " + st.id() + ": signature " + (i + 1) + ": "
                        + e.getMessage());
            }
        }
        return rows;
    }

    /** The request's JSON with {@value #FIELD}: one object per signature. */
    static ObjectNode withDetails(JsonNode request, List<Row> rows) {
        ObjectNode o = request.deepCopy();
        ArrayNode arr = o.putArray(FIELD);
        for (Row r : rows) {
            ObjectNode n = arr.addObject();
            n.put("index", r.index());
            n.put("r", hex32(r.sig().r()));
            n.put("s", hex32(r.sig().s()));
            n.put("recovery_id", r.sig().recoveryId());
            n.put("v", r.sig().ethereumV());
            n.put("ethereum", HexFormat.of().formatHex(r.sig().ethereum65()));
            if (r.bitcoin()) {
                n.put("der", HexFormat.of().formatHex(r.sig().der()));
            }
            n.put("recovered_public_key", r.recoveredPublicKey());
            n.put("recovered_evm_address", r.recoveredAddress());
            n.put("key_evm_address", r.keyAddress());
            n.put("matches_key", r.matches());
        }
        return o;
    }

    /** Indented aligned lines for one signature, to follow its {@code signature N: HEX} line. */
    static String render(Row r) {
        Output.Fields f = new Output.Fields()
                .add("r", hex32(r.sig().r()))
                .add("s", hex32(r.sig().s()))
                .add("v", r.sig().recoveryId() + " (Ethereum v " + r.sig().ethereumV() + ")")
                .add("ethereum", HexFormat.of().formatHex(r.sig().ethereum65()));
        if (r.bitcoin()) {
            f.add("der", HexFormat.of().formatHex(r.sig().der()));
        }
        f.add("recovers_to", r.recoveredAddress() + (r.matches()
                ? (r.bitcoin() ? " (the key's public key and its EVM address)" : " (the key's EVM address)")
                : " (NOT the key's: " + r.keyAddress() + ")"));
        return Output.render(f, "  ");
    }

    /** Fails when a signature does not recover to the key, after the details were printed. */
    static void requireMatches(long requestId, List<Row> rows) throws CliException {
        for (Row r : rows) {
            if (!r.matches()) {
                throw new CliException("BAD_SIGNATURE", "sign request " + requestId + ": signature " + r.index()
                        + " recovers to " + r.recoveredAddress() + ", not to the key (" + r.keyAddress() + ")");
            }
        }
    }

    private static String hex32(java.math.BigInteger v) {
        String h = v.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }
}
