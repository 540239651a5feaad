package io.keyfed.ledger.rest;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.ledger.v1.GetTxRequest;
import io.keyfed.ledger.mapping.ProtoJson;
import io.keyfed.ledger.service.LedgerException;
import io.keyfed.ledger.service.PageTokens;
import io.keyfed.ledger.service.QueryService;
import io.keyfed.ledger.service.TxService;
import io.smallrye.mutiny.Uni;

/** Submitting transactions and reading the tx log. */
@Path("/v1/txs")
@Produces(MediaType.APPLICATION_JSON)
public class TxResource {
    private final TxService txs;
    private final QueryService queries;
    private final ObjectMapper mapper;

    public TxResource(TxService txs, QueryService queries, ObjectMapper mapper) {
        this.txs = txs;
        this.queries = queries;
        this.mapper = mapper;
    }

    /** Body {"tx_bytes":"<base64 of a serialised TxRaw>"}; returns the TxResult. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> broadcast(String body, @HeaderParam("traceparent") String traceparent) {
        JsonNode root;
        try {
            root = mapper.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw LedgerException.invalid("malformed JSON body: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw LedgerException.invalid("malformed JSON body: expected an object {\"tx_bytes\": \"<base64>\"}");
        }
        JsonNode tx = root.get("tx_bytes");
        if (tx == null || !tx.isTextual()) {
            throw LedgerException.invalid("tx_bytes is required (base64 of a serialised TxRaw)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(tx.asText());
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid("tx_bytes is not valid base64");
        }
        return txs.broadcast(bytes, traceparent).map(ProtoJson::toMap);
    }

    /** A tx by 64-hex-character hash, or by height when the parameter is a decimal number. */
    @GET
    @Path("{hashOrHeight}")
    public Uni<Map<String, Object>> tx(@PathParam("hashOrHeight") String key) {
        GetTxRequest.Builder r = GetTxRequest.newBuilder();
        if (key.length() < 20 && key.chars().allMatch(c -> c >= '0' && c <= '9')) {
            r.setHeight(Long.parseLong(key));
        } else {
            r.setHash(key);
        }
        return queries.tx(r.build()).map(ProtoJson::toMap);
    }

    /** Log records from {@code from_height} on (default 1), {"txs":[...], "next_from_height": n or 0 at the end}. */
    @GET
    public Uni<Map<String, Object>> list(@QueryParam("from_height") String fromHeight,
            @QueryParam("page_size") String pageSize) {
        long from = Math.max(1, Params.number(fromHeight, "from_height"));
        int size = PageTokens.size(Params.number(pageSize, "page_size"));
        return queries.txs(from, size + 1).map(list -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("txs", ProtoJson.toList(list.size() > size ? list.subList(0, size) : list));
            m.put("next_from_height", list.size() > size ? list.get(size).getHeight() : 0);
            return m;
        });
    }
}
