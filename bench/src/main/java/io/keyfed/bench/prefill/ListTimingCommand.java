package io.keyfed.bench.prefill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.keyfed.cli.http.LedgerClient;
import io.keyfed.cli.http.LedgerClientException;
import io.keyfed.cli.http.LedgerJson;
import io.keyfed.cli.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code list-timing}: times the ledger's key listing of one workspace ({@code GET /v1/treasury/keys}, keyset
 * pagination by key id) on page 1 and on page P at one page size: the median of several calls each, after one
 * untimed call. The page-P token is the ledger's own, found by paging there first (100 keys a page). Adds the
 * figures ({@code list_page1_ms}, {@code list_pageP_ms}, {@code list_page_size}, {@code list_calls}) and the
 * prefill's ({@code --prefill}) at the top level of the bench's JSON report, and prints one line.
 */
@Command(name = "list-timing", description = "Time listing a workspace's keys on page 1 and page P.")
final class ListTimingCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int WALK_SIZE = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--ledger", required = true, paramLabel = "URL",
            description = "ledger REST base URL (https: trusts $KEYFED_CA, presents $KEYFED_CLIENT_CERT/KEY if set)")
    String ledger;

    @Option(names = "--workspace", paramLabel = "W", description = "workspace address (default: the prefill's)")
    String workspace;

    @Option(names = "--page", paramLabel = "P", defaultValue = "1000", description = "the far page (default 1000)")
    int page;

    @Option(names = "--page-size", paramLabel = "S", defaultValue = "20", description = "keys per page (default 20)")
    int pageSize;

    @Option(names = "--calls", paramLabel = "K", defaultValue = "7", description = "timed calls per page (default 7)")
    int calls;

    @Option(names = "--prefill", paramLabel = "FILE", description = "the prefill's result (fill --out)")
    Path prefill;

    @Option(names = "--json", paramLabel = "FILE", description = "the bench's JSON report to add the figures to")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (page < 2 || pageSize < 1 || pageSize > WALK_SIZE || calls < 1) {
            throw new ParameterException(spec.commandLine(), "need --page >= 2, --page-size 1.." + WALK_SIZE
                    + " and --calls >= 1");
        }
        ObjectNode pf = prefill != null ? (ObjectNode) JSON.readTree(prefill.toFile()) : JSON.createObjectNode();
        String ws = workspace != null ? workspace : pf.path("prefill_workspace").asText("");
        if (ws.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --workspace, or --prefill with prefill_workspace");
        }
        TlsFiles tls = TlsFiles.of(null, null, null, System.getenv());
        if (ledger.startsWith("https")) {
            tls.check();
        }
        LedgerClient http = new LedgerClient(ledger, tls);
        double first;
        double far;
        try {
            String farToken = tokenBefore(http, ws, (long) (page - 1) * pageSize);
            first = median(http, ws, "");
            far = median(http, ws, farToken);
        } catch (IllegalStateException | LedgerClientException e) {
            System.err.println("list-timing: " + e.getMessage());
            return 1;
        }
        System.out.printf(Locale.ROOT, "prefill: %s key requests in %s s; listing %s's keys (%d a page): page 1 %.1f ms,"
                + " page %d %.1f ms (median of %d)%n", pf.path("prefill_rows").asText("0"),
                pf.path("prefill_seconds").asText("?"), ws, pageSize, first, page, far, calls);
        if (json != null && Files.isRegularFile(json)) {
            ObjectNode report = (ObjectNode) JSON.readTree(json.toFile());
            Map<String, JsonNode> add = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = pf.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                add.put(e.getKey(), e.getValue());
            }
            add.put("list_page_size", JSON.getNodeFactory().numberNode(pageSize));
            add.put("list_calls", JSON.getNodeFactory().numberNode(calls));
            add.put("list_page1_ms", JSON.getNodeFactory().numberNode(round(first)));
            add.put("list_page" + page + "_ms", JSON.getNodeFactory().numberNode(round(far)));
            add.forEach(report::set);
            Files.writeString(json, JSON.writeValueAsString(report));
        }
        return 0;
    }

    /** The ledger's page token that starts after the first {@code skip} keys of {@code ws}. */
    private String tokenBefore(LedgerClient http, String ws, long skip) throws LedgerClientException {
        String token = "";
        long left = skip;
        while (left > 0) {
            int size = (int) Math.min(WALK_SIZE, left);
            JsonNode p = list(http, ws, size, token);
            int got = LedgerJson.items(p, LedgerJson.KEYS).size();
            token = LedgerJson.nextPageToken(p);
            left -= got;
            if (got < size || (token.isEmpty() && left >= 0)) {
                throw new IllegalStateException("workspace " + ws + " has only " + (skip - left)
                        + " keys; page " + page + " of " + pageSize + " needs more than " + skip);
            }
        }
        return token;
    }

    private double median(LedgerClient http, String ws, String token) throws LedgerClientException {
        list(http, ws, pageSize, token);
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            JsonNode p = list(http, ws, pageSize, token);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (LedgerJson.items(p, LedgerJson.KEYS).size() != pageSize) {
                throw new IllegalStateException("a page of " + ws + "'s keys held "
                        + LedgerJson.items(p, LedgerJson.KEYS).size() + " keys, not " + pageSize);
            }
        }
        Arrays.sort(ms);
        return calls % 2 == 1 ? ms[calls / 2] : (ms[calls / 2 - 1] + ms[calls / 2]) / 2;
    }

    private static JsonNode list(LedgerClient http, String ws, int size, String token) throws LedgerClientException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("workspace_addr", ws);
        q.put("page_size", Integer.toString(size));
        q.put("page_token", token);
        return http.get("/v1/treasury/keys", q);
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
