package io.keyfed.cli.tx;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Addresses;
import io.keyfed.api.ledger.v1.TxBody;
import io.keyfed.cli.http.LedgerApi;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.keys.SigningKey;

/**
 * Signs one message with a key and posts it to the ledger (POST /v1/txs). The chain id and address prefix
 * come from the ledger's /v1/params (read once). A signer's sequence is read from its account (0 for an
 * account the ledger has not seen) before its first transaction, then counted here, so that one signer's
 * transactions follow each other without a read in between; after a failed post it is read again.
 *
 * <p>Thread-safe: one signer's submissions run one at a time (their sequences must not race), different
 * signers' in parallel.
 */
public final class TxSubmitter {
    private final LedgerApi api;
    private final Map<String, Object> signerLocks = new ConcurrentHashMap<>();
    private final Map<String, Long> sequences = new ConcurrentHashMap<>();
    private volatile LedgerJson.Params params;

    public TxSubmitter(LedgerApi api) {
        this.api = api;
    }

    public LedgerApi api() {
        return api;
    }

    /**
     * Builds, signs and posts the transaction; returns the ledger's answer
     * {@code {height, hash, outcome, created_address, key_request_id}}.
     *
     * @param msg sets exactly one message on the body builder
     * @throws LedgerClientException the ledger refused the transaction or could not be reached, or its
     *                               /v1/params has no chain id (code {@code BAD_RESPONSE})
     */
    public JsonNode submit(SigningKey signer, Consumer<TxBody.Builder> msg) throws LedgerClientException {
        return submit(signer, msg, null);
    }

    /** As {@link #submit(SigningKey, Consumer)}, in the given W3C trace context (null: a new trace). */
    public JsonNode submit(SigningKey signer, Consumer<TxBody.Builder> msg, String traceparent)
            throws LedgerClientException {
        LedgerJson.Params p = params();
        String address = signer.address(addressPrefix());
        synchronized (signerLocks.computeIfAbsent(address, a -> new Object())) {
            Long sequence = sequences.get(address);
            if (sequence == null) {
                JsonNode account = api.accountOrNull(address);
                sequence = account == null ? 0 : LedgerJson.account(account).sequence();
            }
            byte[] raw = TxBuilder.build(signer, p.chainId(), sequence, msg).toByteArray();
            try {
                JsonNode result = api.broadcast(raw, traceparent);
                sequences.put(address, sequence + 1);
                return result;
            } catch (LedgerClientException e) {
                sequences.remove(address);
                throw e;
            }
        }
    }

    /** The ledger's chain id. */
    public String chainId() throws LedgerClientException {
        return params().chainId();
    }

    /** The ledger's account address prefix ("zen" when it names none). */
    public String addressPrefix() throws LedgerClientException {
        String prefix = params().addressPrefix();
        return prefix == null || prefix.isEmpty() ? Addresses.DEFAULT_PREFIX : prefix;
    }

    private LedgerJson.Params params() throws LedgerClientException {
        LedgerJson.Params p = params;
        if (p == null) {
            p = LedgerJson.params(api.params());
            if (p.chainId() == null || p.chainId().isEmpty()) {
                throw new LedgerClientException(0, "BAD_RESPONSE", "the ledger's /v1/params has no chain_id");
            }
            params = p;
        }
        return p;
    }
}
