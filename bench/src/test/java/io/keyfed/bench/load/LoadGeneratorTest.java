package io.keyfed.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** The load generator's command line and report, without a deployment. */
class LoadGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static int execute(String... args) {
        CommandLine cl = new CommandLine(new LoadGenerator()).setExpandAtFiles(false);
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    private static LoadDriver.Outcome fulfilled(long id, long latencyMs) {
        return new LoadDriver.Outcome(id, FinalStatusWatch.Status.FULFILLED, latencyMs * MS,
                id * MS, null);
    }

    @Test
    void badUsageExitsWithTwo() {
        assertEquals(2, execute());
        assertEquals(2, execute("frobnicate"));
        assertEquals(2, execute("run", "--home", "h"), "missing required options");
        assertEquals(2, execute("run", "--home", "h", "--ledger", "http://127.0.0.1:1", "--keyring", "k",
                "--workspace", "w", "--keys", "many"));
        assertEquals(2, execute("init", "--home", dir.toString()), "missing --genesis");
        assertEquals(0, execute("--help"));
    }

    private static int run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--home", "no-such-home", "--ledger", "http://127.0.0.1:1",
                "--keyring", "k", "--workspace", "w", "--concurrency", "1"));
        a.addAll(List.of(extra));
        return execute(a.toArray(String[]::new));
    }

    @Test
    void signOptionsAreRefusedAsUsageErrorsBeforeAnythingRuns() {
        assertEquals(2, run("--sign", "--type", "schnorr"), "not a key type");
        assertEquals(2, run("--sign", "--type", "taproot", "--messages", "0"));
        assertEquals(2, run("--sign", "--type", "taproot", "--messages", "65"), "at most 64 messages a request");
        assertEquals(2, run("--sign", "--type", "ed25519", "--sign-keys", "0"));
        assertEquals(2, run("--type", "ed25519", "--messages", "2"), "--messages needs --sign");
        assertEquals(2, run("--type", "ed25519", "--sign-keys", "2"), "--sign-keys needs --sign");
    }

    @Test
    void validSignOptionsGetPastTheUsageCheck() {
        // The run then fails (status 1) on the missing owner keys of its home, not on its options.
        assertEquals(1, run("--sign", "--type", "taproot", "--messages", "64", "--sign-keys", "3"));
        assertEquals(1, run("--sign", "--type", "ed25519"));
        assertEquals(1, run("--sign", "--type", "ecdsa"));
        assertEquals(1, run("--sign", "--type", "bitcoin", "--messages", "2"));
        assertEquals(1, run("--type", "ecdsa"), "key mode as before");
    }

    @Test
    void initWritesAGenesisFundingTheAdminAndEachOwner() throws Exception {
        Path genesis = dir.resolve("genesis.json");
        assertEquals(0, execute("init", "--home", dir.resolve("home").toString(), "--accounts", "3",
                "--amount", "77", "--chain-id", "c-9", "--genesis", genesis.toString(), "--timeout", "60"));
        JsonNode g = JSON.readTree(Files.readString(genesis));
        assertEquals("c-9", g.get("chain_id").asText());
        assertEquals(4, g.get("accounts").size());
        assertEquals("77", g.get("accounts").get(3).get("amount").asText());
        assertEquals(60, g.get("params").get("default_timeout_seconds").asLong());
        assertEquals(3600, g.get("params").get("max_timeout_seconds").asLong());
        assertTrue(Files.exists(dir.resolve("home/keys/bench-owner-3.key")));
    }

    @Test
    void percentilesComeFromTheFulfilledRequestsOnly() {
        List<LoadDriver.Outcome> res = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            res.add(fulfilled(i, i));
        }
        res.add(new LoadDriver.Outcome(0, FinalStatusWatch.Status.REJECTED, 0, 0, "rejected: x"));
        Histogram h = LoadReport.latencies(res);
        assertEquals(1000, h.getTotalCount());
        assertEquals(500 * MS, LoadReport.percentile(h, 50), 0.001 * 500 * MS);
        assertEquals(990 * MS, LoadReport.percentile(h, 99), 0.001 * 990 * MS);
        assertEquals(1000 * MS, h.getMaxValue(), 0.001 * 1000 * MS);
        assertEquals(0, LoadReport.percentile(new Histogram(3), 50), "no fulfilled request");
    }

    @Test
    void steadyRateLeavesOutRampUpAndDrain() {
        long[] done = new long[20];
        for (int i = 0; i < done.length; i++) {
            done[i] = i * 100 * MS; // one completion every 100 ms
        }
        assertEquals(10.0, LoadReport.steadyRate(done, 4), 1e-9);
        assertTrue(Double.isNaN(LoadReport.steadyRate(new long[5], 4)));
    }

    @Test
    void jsonReportKeepsItsFields() throws Exception {
        List<LoadDriver.Outcome> res = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            res.add(fulfilled(i, 100 + i));
        }
        res.add(new LoadDriver.Outcome(11, FinalStatusWatch.Status.REJECTED, 0, 0, "rejected: why"));
        Path out = dir.resolve("r.json");
        LoadReport.Measure m = new LoadReport.Measure(0, 2_000 * MS, Map.of("ledger_jvm", 1.0, "ledger_postgres", 0.5),
                Map.of("ledger_jvm", 2.0, "ledger_postgres", 1.5), 0.25, 0.1, 0.2, 1, 2);
        int status = LoadReport.report(res, m, new LoadReport.Params("ecdsa", 10, 2, 1,
                Map.of("threshold", "2")), out);
        assertEquals(1, status, "a rejected request is an error");
        JsonNode j = JSON.readTree(Files.readString(out));
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = j.fieldNames(); it.hasNext();) {
            fields.add(it.next());
        }
        assertEquals(List.of("keys_per_s", "steady_keys_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms",
                "errors", "rejected", "fulfilled", "requested", "wall_s", "watch_reconnects", "watch_misses",
                "cpu_s_per_key", "cpu_s", "cpu_s_per_key_deployment", "cpu_ms_per_key_deployment", "crypto_ms_per_key",
                "overhead_ratio", "floor_keys_per_s", "cpu_utilisation_cores", "crypto", "cpu_deployment_processes",
                "params", "machine", "error_samples"), fields);
        assertEquals(5.0, j.get("keys_per_s").asDouble());
        assertEquals(105.0, j.get("p50_ms").asDouble(), 0.2);
        assertEquals(110.0, j.get("max_ms").asDouble(), 0.2);
        assertEquals(1, j.get("errors").asInt());
        assertEquals(2.0, j.get("cpu_s").get("ledger").asDouble(), 1e-9, "JVM and PostgreSQL add up");
        assertEquals("2", j.get("params").get("threshold").asText());
        assertEquals("request 11: rejected: why", j.get("error_samples").get(0).asText());
    }

    @Test
    void signReportAddsSignaturesPerSecondToTheKeyFields() throws Exception {
        List<LoadDriver.Outcome> res = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            res.add(fulfilled(i, 100 + i));
        }
        Path out = dir.resolve("s.json");
        LoadReport.Measure m = new LoadReport.Measure(0, 2_000 * MS, Map.of(), Map.of(), 0.25, 0.1, 0.2, 0, 0);
        int status = LoadReport.report(res, m, new LoadReport.Params("taproot", 10, 0, 1, Map.of("sign_keys", "2"), 4),
                out);
        assertEquals(0, status);
        JsonNode j = JSON.readTree(Files.readString(out));
        List<String> fields = new ArrayList<>();
        j.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("keys_per_s", "signatures_per_s", "steady_keys_per_s", "p50_ms", "p90_ms", "p99_ms",
                "max_ms", "mean_ms", "errors", "rejected", "fulfilled", "requested", "wall_s", "watch_reconnects",
                "watch_misses", "cpu_s_per_key", "cpu_s", "cpu_s_per_key_deployment", "cpu_ms_per_key_deployment",
                "crypto_ms_per_key", "overhead_ratio", "floor_keys_per_s", "cpu_utilisation_cores", "crypto",
                "cpu_deployment_processes", "params", "machine", "error_samples"), fields);
        assertEquals(5.0, j.get("keys_per_s").asDouble(), "10 fulfilled sign requests in 2 s");
        assertEquals(20.0, j.get("signatures_per_s").asDouble(), "4 messages each");
        assertEquals("sign", j.get("params").get("mode").asText());
        assertEquals(4, j.get("params").get("messages").asInt());
        assertEquals("2", j.get("params").get("sign_keys").asText());
    }
}
