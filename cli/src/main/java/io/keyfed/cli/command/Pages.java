package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;

/** Follows next_page_token through a list endpoint. */
final class Pages {
    static final int MAX_PAGES = 10_000;

    @FunctionalInterface
    interface Fetch {
        JsonNode page(String token) throws LedgerClientException;
    }

    private Pages() {
    }

    /** Every item of every page. */
    static List<JsonNode> all(Fetch fetch, String listField) throws LedgerClientException, CliException {
        List<JsonNode> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = "";
        for (int i = 0; i < MAX_PAGES; i++) {
            JsonNode page = fetch.page(token);
            items.addAll(LedgerJson.items(page, listField));
            token = LedgerJson.nextPageToken(page);
            if (token.isEmpty()) {
                return items;
            }
            if (!seen.add(token)) {
                throw new CliException("BAD_RESPONSE", "the ledger repeated page token '" + token + "'");
            }
        }
        throw new CliException("BAD_RESPONSE", "more than " + MAX_PAGES + " pages");
    }

    /** The combined list in the ledger's own shape: {"FIELD":[...],"next_page_token":""}. */
    static ObjectNode combined(String listField, List<JsonNode> items) {
        ObjectNode o = Output.mapper().createObjectNode();
        ArrayNode arr = o.putArray(listField);
        items.forEach(arr::add);
        o.put(LedgerJson.NEXT_PAGE_TOKEN, "");
        return o;
    }
}
