package io.keyfed.cli.http;

import static io.keyfed.cli.http.LedgerClient.segment;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The ledger's REST endpoints and query parameter names, one method each. Answers are raw JSON. */
public final class LedgerApi {
    private final LedgerClient http;
    private JsonNode paramsCache;

    public LedgerApi(LedgerClient http) {
        this.http = http;
    }

    public LedgerClient client() {
        return http;
    }

    /** GET /v1/params (cached for the life of this object). */
    public JsonNode params() throws LedgerClientException {
        if (paramsCache == null) {
            paramsCache = http.get("/v1/params");
        }
        return paramsCache;
    }

    public JsonNode account(String address) throws LedgerClientException {
        return http.get("/v1/auth/accounts/" + segment(address));
    }

    /** The account, or null when the ledger has never seen it (HTTP 404). */
    public JsonNode accountOrNull(String address) throws LedgerClientException {
        try {
            return account(address);
        } catch (LedgerClientException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    public JsonNode balance(String address) throws LedgerClientException {
        return http.get("/v1/bank/balances/" + segment(address));
    }

    /** POST /v1/txs {"tx_bytes": base64(TxRaw)}, in a new trace (or {@code TRACEPARENT}'s). */
    public JsonNode broadcast(byte[] txRaw) throws LedgerClientException {
        return broadcast(txRaw, null);
    }

    /** As {@link #broadcast(byte[])}, with the given W3C traceparent; null: a new trace. */
    public JsonNode broadcast(byte[] txRaw, String traceparent) throws LedgerClientException {
        ObjectNode body = http.mapper().createObjectNode();
        body.put(LedgerJson.TX_BYTES, Base64.getEncoder().encodeToString(txRaw));
        return traceparent == null ? http.post("/v1/txs", body) : http.post("/v1/txs", body, traceparent);
    }

    public JsonNode tx(String hash) throws LedgerClientException {
        return http.get("/v1/txs/" + segment(hash));
    }

    public JsonNode txs(long fromHeight, int pageSize, String pageToken) throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from_height", Long.toString(fromHeight));
        q.put("page_size", Integer.toString(pageSize));
        q.put("page_token", pageToken);
        return http.get("/v1/txs", q);
    }

    /** GET /v1/treasury/keys/{id}?wallet_type=&prefixes=p1,p2. */
    public JsonNode key(long id, String walletType, String prefixesCsv) throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("wallet_type", walletType);
        q.put("prefixes", prefixesCsv);
        return http.get("/v1/treasury/keys/" + id, q);
    }

    public JsonNode keys(String workspaceAddr, String walletType, String prefixesCsv, String pageToken)
            throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("workspace_addr", workspaceAddr);
        q.put("wallet_type", walletType);
        q.put("prefixes", prefixesCsv);
        q.put("page_token", pageToken);
        return http.get("/v1/treasury/keys", q);
    }

    public JsonNode keyRequest(long id) throws LedgerClientException {
        return http.get("/v1/treasury/key-requests/" + id);
    }

    public JsonNode keyRequests(String keyringAddr, String workspaceAddr, String status, String pageToken)
            throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("keyring_addr", keyringAddr);
        q.put("workspace_addr", workspaceAddr);
        q.put("status", status);
        q.put("page_token", pageToken);
        return http.get("/v1/treasury/key-requests", q);
    }

    public JsonNode signRequest(long id) throws LedgerClientException {
        return http.get("/v1/treasury/sign-requests/" + id);
    }

    /** GET /v1/treasury/sign-requests; a null or empty filter is left out. */
    public JsonNode signRequests(String keyId, String workspaceAddr, String keyringAddr, String status, String pageToken)
            throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("key_id", keyId);
        q.put("workspace_addr", workspaceAddr);
        q.put("keyring_addr", keyringAddr);
        q.put("status", status);
        q.put("page_token", pageToken);
        return http.get("/v1/treasury/sign-requests", q);
    }

    public JsonNode workspace(String address) throws LedgerClientException {
        return http.get("/v1/identity/workspaces/" + segment(address));
    }

    public JsonNode workspaces(String owner, String pageToken) throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("owner", owner);
        q.put("page_token", pageToken);
        return http.get("/v1/identity/workspaces", q);
    }

    public JsonNode keyring(String address) throws LedgerClientException {
        return http.get("/v1/identity/keyrings/" + segment(address));
    }
}
