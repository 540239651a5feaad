package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static io.keyfed.platform.testing.PrometheusText.samples;
import static io.keyfed.platform.testing.PrometheusText.sum;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.cli.keys.SigningKey;

/**
 * The keyfed_* metrics of a real federation (ledger, three parties, three connectors, keyring 2-of-3), scraped
 * from each service's /q/metrics without any credential, as Prometheus would, after one key request: the meters
 * exist and moved. Then the Grafana dashboard in src-native/grafana: every metric its queries name is one that
 * the services export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {
    private static final long FEE = 100;
    private static final Pattern METRIC = Pattern.compile("\\bkeyfed_[a-zA-Z0-9_:]*");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final SigningKey alice = Client.newKey("alice");
    private final SigningKey bob = Client.newKey("bob");
    private Federation fed;
    private Client client;
    private String workspace;
    private String keyring;

    @BeforeAll
    void startFederation() throws Exception {
        fed = new Federation("metrics");
        Path genesis = fed.writeGenesis(Map.of(alice, 1_000_000L, bob, 1_000L));
        fed.initParties(3);
        fed.startLedger(genesis);
        fed.startParties();
        client = new Client(fed);
        workspace = client.newWorkspace(alice);
        keyring = client.newKeyring(bob, 2, FEE, fed.parties);
        fed.startConnectors(keyring);
    }

    @AfterAll
    void stopFederation() throws Exception {
        if (fed != null) {
            fed.close();
        }
    }

    private String ledgerMetrics() throws Exception {
        return scrape(fed.ledgerUrl());
    }

    private String partyMetrics(Federation.Party p) throws Exception {
        return scrape(p.managementUrl());
    }

    private String connectorMetrics(ManagedProcess c) throws Exception {
        return scrape("https://127.0.0.1:" + c.port);
    }

    /** GET /q/metrics over TLS, trusting the run's CA, with no client certificate; the Prometheus text. */
    private String scrape(String base) throws Exception {
        HttpResponse<String> r = fed.http().send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), base + "/q/metrics: " + r.body());
        return r.body();
    }

    private interface Scrape {
        String get() throws Exception;
    }

    /**
     * The sample's value once {@code ok} holds, or the last one read: a bounded wait for the services to record
     * what already happened (a party finishes its session around the time the ledger records the answers).
     * The assertion is on the value, never on the time taken.
     */
    private static double await(Scrape scrape, DoublePredicate ok, String name, String... labels) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double v = sum(scrape.get(), name, labels);
        while (!ok.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            v = sum(scrape.get(), name, labels);
        }
        return v;
    }

    @Test
    void servicesExportTheirMetricsWithValuesThatMovedDuringAKeyRequest() throws Exception {
        long id = client.requestKey(alice, workspace, keyring, "ecdsa", 120);
        JsonNode r = client.awaitFinal(id, 180);
        assertEquals("KEY_REQUEST_STATUS_FULFILLED", r.path("status").asText(), r.toString());

        // ledger
        assertTrue(await(this::ledgerMetrics, v -> v >= 1, "keyfed_ledger_key_requests_submitted_total",
                "type=\"ecdsa_secp256k1\"") >= 1);
        assertTrue(await(this::ledgerMetrics, v -> v >= 1, "keyfed_ledger_key_requests_finished_total",
                "type=\"ecdsa_secp256k1\"", "status=\"fulfilled\"") >= 1);
        assertTrue(await(this::ledgerMetrics, v -> v >= 1, "keyfed_ledger_key_request_duration_seconds_count",
                "status=\"fulfilled\"") >= 1);
        assertTrue(sum(ledgerMetrics(), "keyfed_ledger_key_request_duration_seconds_bucket", "status=\"fulfilled\"",
                "le=\"+Inf\"") >= 1, "request-to-final latency is a Prometheus histogram");
        assertTrue(await(this::ledgerMetrics, v -> v >= 2, "keyfed_ledger_party_answers_total",
                "outcome=\"accepted\"") >= 2, "two answers reach the threshold");
        assertTrue(sum(ledgerMetrics(), "keyfed_ledger_commit_batch_size_count") >= 4,
                "workspace, keyring, request and answers were committed");
        assertTrue(sum(ledgerMetrics(), "keyfed_ledger_commit_batch_size_bucket", "le=\"+Inf\"") >= 4);
        assertTrue(sum(ledgerMetrics(), "keyfed_ledger_watch_subscribers") >= 3, "one stream per connector");
        String escrow = client.params().path("escrow_address").asText();
        long escrowBalance = client.balance(escrow);
        assertEquals(escrowBalance, await(this::ledgerMetrics, v -> v == escrowBalance, "keyfed_ledger_escrow_balance"),
                "escrow gauge = the escrow address's balance");

        // every party ran the DKG
        for (Federation.Party p : fed.parties) {
            Scrape party = () -> partyMetrics(p);
            String who = "party " + p.index;
            assertTrue(await(party, v -> v >= 1, "keyfed_party_sessions_total", "protocol=\"dkg\"",
                    "outcome=\"fulfilled\"") >= 1, who);
            for (String round : List.of("resolve", "round1", "echo", "round2", "confirm")) {
                assertTrue(sum(party.get(), "keyfed_party_round_duration_seconds_count", "round=\"" + round + "\"")
                        >= 1, who + " round " + round);
            }
            for (String op : List.of("sign", "seal", "ecdh")) {
                assertTrue(sum(party.get(), "keyfed_party_hsm_operation_duration_seconds_count",
                        "operation=\"" + op + "\"") >= 1, who + " HSM " + op);
            }
            assertTrue(sum(party.get(), "keyfed_party_hsm_operation_duration_seconds_bucket", "operation=\"sign\"",
                    "le=\"+Inf\"") >= 1, who + " HSM latency is a Prometheus histogram");
            assertTrue(await(party, v -> v >= 1, "keyfed_party_sealed_shares") >= 1, who + " holds a sealed share");
            assertEquals(0, sum(party.get(), "keyfed_party_aborts_total"), who + " aborted nothing");
            assertTrue(samples(party.get()).contains("keyfed_party_aborts_total"), who + " exports the abort counter");
        }

        // every connector saw the request; together they forwarded the answers
        double fulfilled = 0;
        for (ManagedProcess c : fed.connectors) {
            assertTrue(await(() -> connectorMetrics(c), v -> v >= 1, "keyfed_connector_requests_seen_total") >= 1,
                    c.name());
            fulfilled += sum(connectorMetrics(c), "keyfed_connector_requests_fulfilled_total");
        }
        assertTrue(fulfilled >= 2, "answers forwarded and accepted: " + fulfilled);
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        Set<String> exported = new TreeSet<>();
        exported.addAll(samples(ledgerMetrics()));
        exported.addAll(samples(partyMetrics(fed.parties.get(0))));
        exported.addAll(samples(connectorMetrics(fed.connectors.get(0))));

        JsonNode dashboard = new ObjectMapper().readTree(fed.root.resolve("src-native/grafana/keyfed-dashboard.json")
                .toFile());
        List<String> exprs = new ArrayList<>();
        collectExprs(dashboard, exprs);
        assertFalse(exprs.isEmpty(), "the dashboard has queries");
        Map<String, String> missing = new TreeMap<>();
        Set<String> named = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                named.add(m.group());
                if (!exported.contains(m.group())) {
                    missing.put(m.group(), expr);
                }
            }
        }
        assertTrue(missing.isEmpty(), "queried by the dashboard but exported by no service: " + missing);
        // The main figures are all there: each service's metrics are queried.
        for (String prefix : List.of("keyfed_ledger_", "keyfed_party_", "keyfed_connector_")) {
            assertTrue(named.stream().anyMatch(n -> n.startsWith(prefix)), "no " + prefix + "* on the dashboard");
        }
    }

    private static void collectExprs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else {
                    collectExprs(e.getValue(), out);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectExprs(n, out));
        }
    }
}
