package io.keyfed.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The report's cryptography fields (crypto_ms_per_key and what derives from it) and its warm-up record. */
class CostReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private static List<LoadDriver.Outcome> tenFulfilled() {
        List<LoadDriver.Outcome> res = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            res.add(new LoadDriver.Outcome(i, FinalStatusWatch.Status.FULFILLED, 100 * MS, i * MS, null));
        }
        return res;
    }

    /** Ledger 0.3 s + 0.2 s, party 0.4 s, connector 0.1 s of CPU over 10 keys: 100 ms per key. */
    private static LoadReport.Measure measure() {
        Map<String, Double> c0 = new LinkedHashMap<>();
        c0.put("ledger_postgres", 1.0);
        c0.put("ledger_jvm", 2.0);
        c0.put("party1_jvm", 3.0);
        c0.put("connector1", 4.0);
        Map<String, Double> c1 = new LinkedHashMap<>();
        c1.put("ledger_postgres", 1.2);
        c1.put("ledger_jvm", 2.3);
        c1.put("party1_jvm", 3.4);
        c1.put("connector1", 4.1);
        return new LoadReport.Measure(0, 2_000 * MS, c0, c1, 0.05, 0.1, 0.2, 0, 0);
    }

    private JsonNode report(LoadReport.Context ctx, StringBuilder line) throws Exception {
        Path out = dir.resolve("r.json");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, LoadReport.report(tenFulfilled(), measure(), new LoadReport.Params("ecdsa", 10, 0, 1,
                    Map.of()), ctx, out));
        } finally {
            System.setOut(old);
        }
        line.append(buf.toString(StandardCharsets.UTF_8));
        return JSON.readTree(Files.readString(out));
    }

    @Test
    void deploymentCpuIsEveryProcessGroupAndTheRatiosDivideIt() throws Exception {
        // A key of 4 ms of cryptography: DKG 2.5 ms + 3 x 0.4 ms + 1 x 0.3 ms.
        String jmh = """
                [{"benchmark":"io.keyfed.bench.DkgFederationBenchmark.federation","mode":"avgt","threads":1,
                  "params":{"curve":"secp256k1","tn":"1of1"},"primaryMetric":{"score":2.5,"scoreError":0.1,"scoreUnit":"ms/op"}},
                 {"benchmark":"io.keyfed.bench.HsmBenchmark.signIdentity","mode":"avgt","threads":1,
                  "primaryMetric":{"score":400.0,"scoreError":"NaN","scoreUnit":"us/op"}},
                 {"benchmark":"io.keyfed.bench.HsmBenchmark.seal","mode":"avgt","threads":1,
                  "primaryMetric":{"score":0.3,"scoreError":0.01,"scoreUnit":"ms/op"}}]""";
        // 1-of-1: 2 signIdentity (round 1, answer) and 1 seal: 2.5 + 0.8 + 0.3 = 3.6 ms
        CryptoCost.Cost cost = CryptoCost.compute(new CryptoCost.Flow(false, "ecdsa", 1, 1, 0), JmhResults.parse(jmh));
        assertEquals(3.6, cost.msPerKey(), 1e-12);
        StringBuilder line = new StringBuilder();
        JsonNode j = report(new LoadReport.Context(cost, "test", null, 2, null), line);
        // (0.2 + 0.3 + 0.4 + 0.1) s / 10 keys = 100 ms per key; the load generator's own CPU is not counted
        assertEquals(100.0, j.get("cpu_ms_per_key_deployment").asDouble(), 1e-9);
        assertEquals(3.6, j.get("crypto_ms_per_key").asDouble(), 1e-9);
        assertEquals(27.78, j.get("overhead_ratio").asDouble(), 1e-9, "100 / 3.6 = 27.777...");
        assertEquals(555.6, j.get("floor_keys_per_s").asDouble(), 1e-9, "2 cores / 3.6 ms = 555.55... keys/s");
        assertEquals(List.of("ledger_postgres", "ledger_jvm", "party1_jvm", "connector1"),
                JSON.convertValue(j.get("cpu_deployment_processes"), List.class));
        JsonNode terms = j.get("crypto").get("terms");
        assertEquals(3, terms.size());
        assertEquals(2, terms.get(1).get("count").asInt());
        assertEquals(0.4, terms.get(1).get("ms_each").asDouble(), 1e-9);
        assertTrue(terms.get(1).get("ms_error").isNull(), "JMH gave no error for it");
        assertTrue(line.toString().contains("crypto_ms_per_key 3.60, cpu_ms_per_key_deployment 100.0, "
                + "overhead_ratio 27.8, floor_keys_per_s 556 (2 cores)"), line.toString());
    }

    @Test
    void withoutJmhTheFieldsAreNullWithTheReason() throws Exception {
        StringBuilder line = new StringBuilder();
        JsonNode j = report(LoadReport.Context.without("skipped with --no-crypto"), line);
        assertTrue(j.get("crypto_ms_per_key").isNull());
        assertTrue(j.get("overhead_ratio").isNull());
        assertTrue(j.get("floor_keys_per_s").isNull());
        assertEquals(100.0, j.get("cpu_ms_per_key_deployment").asDouble(), 1e-9, "measured all the same");
        assertEquals("skipped with --no-crypto", j.get("crypto").get("missing").asText());
        assertTrue(line.toString().contains("crypto_ms_per_key null (skipped with --no-crypto)"), line.toString());
    }

    @Test
    void theWarmUpIsReportedBatchByBatch() throws Exception {
        WarmupPhase.Result w = new WarmupPhase.Result(250, 12.5, List.of(new WarmupPhase.Batch(100, 100, 5.0, 10.0),
                new WarmupPhase.Batch(100, 99, 4.5, 6.0), new WarmupPhase.Batch(50, 50, 3.0, 2.5)));
        StringBuilder line = new StringBuilder();
        JsonNode j = report(new LoadReport.Context(null, null, "none", 2, w), line).get("warmup");
        assertEquals(250, j.get("requests").asInt());
        assertEquals(12.5, j.get("seconds").asDouble());
        assertEquals(1, j.get("not_fulfilled").asInt());
        assertEquals(3, j.get("batches").size());
        assertEquals(20.0, j.get("batches").get(0).get("per_s").asDouble(), 1e-9, "100 in 5 s");
        assertEquals(100.0, j.get("batches").get(0).get("cpu_ms_each").asDouble(), 1e-9, "10 s of CPU / 100");
        assertEquals(22.0, j.get("batches").get(1).get("per_s").asDouble(), 1e-9, "99 in 4.5 s");
        assertEquals(60.61, j.get("batches").get(1).get("cpu_ms_each").asDouble(), 1e-9, "6 s / 99 = 60.606...");
        assertTrue(line.toString().contains("warm-up 250 keys in 13 s"), line.toString());
    }

    private static int run(String... extra) {
        List<String> a = new ArrayList<>(List.of("run", "--home", "no-such-home", "--ledger", "http://127.0.0.1:1",
                "--keyring", "k", "--workspace", "w", "--concurrency", "1"));
        a.addAll(List.of(extra));
        picocli.CommandLine cl = new picocli.CommandLine(new LoadGenerator()).setExpandAtFiles(false);
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        return cl.execute(a.toArray(String[]::new));
    }

    @Test
    void cryptoOptionsAreCheckedBeforeAnythingRuns() throws Exception {
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, "[]");
        assertEquals(2, run("--crypto-jmh", jmh.toString(), "--no-crypto", "why"), "one or the other");
        assertEquals(2, run("--crypto-jmh", dir.resolve("absent.json").toString()), "no such file");
        assertEquals(2, run("--crypto-jmh", jmh.toString()), "no DKG result in it");
        assertEquals(2, run("--no-crypto", "why", "--warmup-batch", "0"));
        assertEquals(2, run("--no-crypto", "why", "--cores", "0"));
        // past the checks, the run fails (1) on its missing owner keys
        assertEquals(1, run("--no-crypto", "why", "--threshold", "3", "--parties", "5", "--warmup-batch", "10"));
        assertEquals(1, run("--no-crypto", "skipped with --no-crypto"), "the reason scripts/bench.sh passes");
    }

    @Test
    void warmUpBatchesCoverTheTotalWithASmallerLastOne() {
        assertEquals(List.of(100, 100, 50), WarmupPhase.batches(250, 100));
        assertEquals(List.of(), WarmupPhase.batches(0, 100));
        assertEquals(List.of(7), WarmupPhase.batches(7, 100));
        assertThrows(IllegalArgumentException.class, () -> WarmupPhase.batches(10, 0));
        assertTrue(Double.isNaN(new WarmupPhase.Batch(10, 0, 1.0, 1.0).cpuMsPerRequest()));
    }
}
