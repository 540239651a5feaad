package io.keyfed.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The measured phase's figures: one summary line on stdout and, with {@code --json FILE}, the JSON document
 * ({@code keys_per_s}, {@code p50_ms}..., CPU per key of each process, the parameters, the machine). Latency
 * percentiles come from an HdrHistogram with 3 significant digits (a percentile is exact to 0.1%). A sign run
 * reports the same fields, counting fulfilled sign requests where a key run counts keys, plus
 * {@code signatures_per_s} (fulfilled requests times the messages per request, per second).
 */
final class LoadReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Significant decimal digits kept by the latency histogram. */
    static final int LATENCY_DIGITS = 3;

    /** What a run measured, besides the outcomes. */
    record Measure(long t0, long t1, Map<String, Double> cpu0, Map<String, Double> cpu1, double selfCpu,
            double load0, double load1, int watchReconnects, int watchMisses) {
    }

    /** The run's parameters as reported under "params"; {@code messages} is 0 for key requests. */
    record Params(String type, int keys, int warmup, int concurrency, Map<String, String> extra, int messages) {
        /** A key-request run's parameters. */
        Params(String type, int keys, int warmup, int concurrency, Map<String, String> extra) {
            this(type, keys, warmup, concurrency, extra, 0);
        }

        boolean sign() {
            return messages > 0;
        }
    }

    /**
     * What the report adds to the measured phase: the cryptography's cost per request ({@code crypto}, from
     * {@code cryptoSource}), or why it is missing ({@code cryptoMissing}); the cores the floor divides; the warm-up.
     */
    record Context(CryptoCost.Cost crypto, String cryptoSource, String cryptoMissing, int cores,
            WarmupPhase.Result warmup) {
        /** No cryptography figure (the reason says why) and no warm-up record. */
        static Context without(String reason) {
            return new Context(null, null, reason, Runtime.getRuntime().availableProcessors(), null);
        }
    }

    private LoadReport() {
    }

    /** The latency histogram of the fulfilled requests, in nanoseconds. */
    static Histogram latencies(List<LoadDriver.Outcome> outcomes) {
        Histogram h = new Histogram(LATENCY_DIGITS);
        for (LoadDriver.Outcome o : outcomes) {
            if (o.fulfilled()) {
                h.recordValue(o.latencyNanos());
            }
        }
        return h;
    }

    /** Latency at a percentile (0..100), in nanoseconds; 0 when nothing was recorded. */
    static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    /** Prints the summary line, writes the JSON document when asked; returns the exit status (1 on errors). */
    static int report(List<LoadDriver.Outcome> res, Measure m, Params p, Path jsonOut) throws IOException {
        return report(res, m, p, Context.without("not computed"), jsonOut);
    }

    /** As {@link #report(List, Measure, Params, Path)}, with the cryptography's cost and the warm-up. */
    static int report(List<LoadDriver.Outcome> res, Measure m, Params p, Context ctx, Path jsonOut)
            throws IOException {
        List<LoadDriver.Outcome> ok = res.stream().filter(LoadDriver.Outcome::fulfilled).toList();
        Histogram lat = latencies(res);
        int fulfilled = ok.size();
        long rejected = res.stream().filter(o -> o.status() == FinalStatusWatch.Status.REJECTED).count();
        int errors = res.size() - fulfilled;
        double wall = (m.t1() - m.t0()) / 1e9;
        double kps = fulfilled / wall;
        double steady = steadyRate(ok.stream().mapToLong(LoadDriver.Outcome::doneNanos).sorted().toArray(),
                p.concurrency());
        double p50 = ms(percentile(lat, 50));
        double p90 = ms(percentile(lat, 90));
        double p99 = ms(percentile(lat, 99));
        double max = ms(lat.getTotalCount() == 0 ? 0 : lat.getMaxValue());
        ObjectNode j = JSON.createObjectNode();
        j.put("keys_per_s", round(kps, 2));
        if (p.sign()) {
            j.put("signatures_per_s", round(kps * p.messages(), 2));
        }
        j.put("steady_keys_per_s", Double.isNaN(steady) ? null : round(steady, 2));
        j.put("p50_ms", p50);
        j.put("p90_ms", p90);
        j.put("p99_ms", p99);
        j.put("max_ms", max);
        j.put("mean_ms", ms(lat.getTotalCount() == 0 ? 0 : lat.getMean()));
        j.put("errors", errors);
        j.put("rejected", rejected);
        j.put("fulfilled", fulfilled);
        j.put("requested", res.size());
        j.put("wall_s", round(wall, 3));
        j.put("watch_reconnects", m.watchReconnects());
        j.put("watch_misses", m.watchMisses());
        ObjectNode cpuJ = j.putObject("cpu_s_per_key");
        double total = cpu(j.putObject("cpu_s"), cpuJ, m, fulfilled);
        j.put("cpu_s_per_key_deployment", fulfilled == 0 ? null : round(total / fulfilled, 5));
        Double deploymentMs = fulfilled == 0 ? null : total / fulfilled * 1000;
        Double cryptoMs = ctx.crypto() == null ? null : ctx.crypto().msPerKey();
        j.put("cpu_ms_per_key_deployment", deploymentMs == null ? null : round(deploymentMs, 2));
        j.put("crypto_ms_per_key", cryptoMs == null ? null : round(cryptoMs, 3));
        Double ratio = deploymentMs == null || cryptoMs == null ? null
                : CryptoCost.overheadRatio(deploymentMs, cryptoMs);
        j.put("overhead_ratio", ratio == null ? null : round(ratio, 2));
        Double floor = cryptoMs == null ? null : CryptoCost.floorKeysPerS(ctx.cores(), cryptoMs);
        j.put("floor_keys_per_s", floor == null ? null : round(floor, 1));
        j.put("cpu_utilisation_cores", round(total / wall, 2));
        ObjectNode crypto = j.putObject("crypto");
        crypto.put("cores", ctx.cores());
        if (ctx.crypto() != null) {
            CryptoCost.describe(crypto, ctx.crypto(), ctx.cryptoSource());
        } else {
            crypto.put("missing", ctx.cryptoMissing());
        }
        ArrayNode counted = j.putArray("cpu_deployment_processes");
        m.cpu1().keySet().forEach(counted::add);
        if (ctx.warmup() != null) {
            WarmupPhase.describe(j.putObject("warmup"), ctx.warmup());
        }
        ObjectNode params = j.putObject("params");
        params.put("keys", p.keys());
        params.put("warmup", p.warmup());
        params.put("concurrency", p.concurrency());
        params.put("type", p.type());
        if (p.sign()) {
            params.put("mode", "sign");
            params.put("messages", p.messages());
        }
        p.extra().forEach(params::put);
        machine(j.putObject("machine"), m);
        ArrayNode errs = j.putArray("error_samples");
        res.stream().filter(o -> o.error() != null).limit(10)
                .forEach(o -> errs.add("request " + o.id() + ": " + o.error()));

        String head = p.sign()
                ? String.format(Locale.ROOT, "bench sign %s requests=%d messages=%d conc=%d: %.1f signatures/s, "
                        + "%.1f requests/s", p.type(), p.keys(), p.messages(), p.concurrency(), kps * p.messages(), kps)
                : String.format(Locale.ROOT, "bench %s keys=%d conc=%d: %.1f keys/s", p.type(), p.keys(),
                        p.concurrency(), kps);
        String per = p.sign() ? "request" : "key";
        String floorText = cryptoMs == null
                ? String.format(Locale.ROOT, "crypto_ms_per_key null (%s), cpu_ms_per_key_deployment %.1f, "
                        + "overhead_ratio null, floor_keys_per_s null", ctx.cryptoMissing(),
                        deploymentMs == null ? Double.NaN : deploymentMs)
                : String.format(Locale.ROOT, "crypto_ms_per_key %.2f, cpu_ms_per_key_deployment %.1f, "
                        + "overhead_ratio %.1f, floor_keys_per_s %.0f (%d cores)", cryptoMs,
                        deploymentMs == null ? Double.NaN : deploymentMs, ratio == null ? Double.NaN : ratio, floor,
                        ctx.cores());
        System.out.printf(Locale.ROOT,
                "%s (steady %.1f), p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms,"
                        + " fulfilled %d, errors %d; cpu/%s total %.1f ms:%s; %s%s%n",
                head, steady, p50, p90, p99, max, fulfilled, errors, per,
                fulfilled == 0 ? 0 : total / fulfilled * 1000, cpuLine(cpuJ), floorText, warmupText(ctx.warmup(), per));
        if (jsonOut != null) {
            Files.writeString(jsonOut, JSON.writeValueAsString(j) + "\n");
        }
        return errors == 0 ? 0 : 1;
    }

    private static String warmupText(WarmupPhase.Result w, String per) {
        return w == null ? "" : String.format(Locale.ROOT, "; warm-up %d %ss in %.0f s", w.requests(), per,
                w.seconds());
    }

    /** Keys/s between the conc-th and the (n-conc)-th completion, leaving out ramp-up and drain; NaN if too few. */
    static double steadyRate(long[] doneSorted, int conc) {
        if (doneSorted.length <= 2 * conc + 1) {
            return Double.NaN;
        }
        int i0 = conc;
        int i1 = doneSorted.length - conc - 1;
        return (i1 - i0) / ((doneSorted[i1] - doneSorted[i0]) / 1e9);
    }

    /** Fills cpu_s and cpu_s_per_key per group; returns the deployment's total CPU seconds. */
    private static double cpu(ObjectNode cpuTot, ObjectNode cpuJ, Measure m, int fulfilled) {
        Map<String, Double> cpu0 = m.cpu0();
        Map<String, Double> cpu1 = m.cpu1();
        double total = 0;
        for (Map.Entry<String, Double> e : cpu1.entrySet()) {
            double d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0);
            total += d;
            cpuTot.put(e.getKey(), round(d, 3));
            cpuJ.put(e.getKey(), fulfilled == 0 ? null : round(d / fulfilled, 5));
        }
        for (String g : cpu1.keySet()) {
            // A service as deployed: its JVM ("X_jvm") plus its embedded PostgreSQL ("X_postgres").
            if (g.endsWith("_jvm") && cpu1.containsKey(g.substring(0, g.length() - 4) + "_postgres")) {
                String x = g.substring(0, g.length() - 4);
                double d = cpu1.get(g) - cpu0.getOrDefault(g, 0.0) + cpu1.get(x + "_postgres")
                        - cpu0.getOrDefault(x + "_postgres", 0.0);
                cpuTot.put(x, round(d, 3));
                cpuJ.put(x, fulfilled == 0 ? null : round(d / fulfilled, 5));
            }
        }
        cpuTot.put("load_generator", round(m.selfCpu(), 3));
        cpuJ.put("load_generator", fulfilled == 0 ? null : round(m.selfCpu() / fulfilled, 5));
        return total;
    }

    /** " name=1.2ms ..." for the summary line; a service's _jvm and _postgres parts are shown as their sum. */
    private static String cpuLine(ObjectNode cpuJ) {
        StringBuilder cpuLine = new StringBuilder();
        cpuJ.fields().forEachRemaining(e -> {
            String k = e.getKey();
            int us = k.lastIndexOf('_');
            if (us > 0 && (k.endsWith("_jvm") || k.endsWith("_postgres")) && cpuJ.has(k.substring(0, us))) {
                return;
            }
            cpuLine.append(' ').append(k).append('=').append(e.getValue().isNull() ? "-"
                    : String.format(Locale.ROOT, "%.1fms", e.getValue().asDouble() * 1000));
        });
        return cpuLine.toString();
    }

    private static void machine(ObjectNode mj, Measure m) {
        mj.put("cpus", Runtime.getRuntime().availableProcessors());
        mj.put("cpu_model", cpuModel());
        mj.put("loadavg_1m_before", m.load0());
        mj.put("loadavg_1m_after", m.load1());
        mj.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        mj.put("time_utc", Instant.now().toString());
    }

    private static double ms(double nanos) {
        return round(nanos / 1e6, 1);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The 1-minute load average, or -1 where /proc/loadavg cannot be read. */
    static double loadAvg() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
