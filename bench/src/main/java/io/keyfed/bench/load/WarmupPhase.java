package io.keyfed.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The warm-up: requests run before the measured phase and left out of its figures, in batches, each batch's
 * throughput and deployment CPU per request recorded so that a run shows whether the JIT had levelled off
 * before the measurement began (the batches' keys/s stop rising, their CPU per key stops falling).
 */
final class WarmupPhase {
    /** One batch: {@code requests} issued, {@code fulfilled} of them, in {@code seconds}, using {@code cpuS}. */
    record Batch(int requests, int fulfilled, double seconds, double cpuS) {
        double perSecond() {
            return seconds <= 0 ? 0 : fulfilled / seconds;
        }

        /** Deployment CPU ms per fulfilled request; NaN when none was fulfilled. */
        double cpuMsPerRequest() {
            return fulfilled == 0 ? Double.NaN : cpuS * 1000 / fulfilled;
        }
    }

    /** The whole warm-up. */
    record Result(int requests, double seconds, List<Batch> batches) {
        int notFulfilled() {
            return batches.stream().mapToInt(b -> b.requests() - b.fulfilled()).sum();
        }
    }

    private WarmupPhase() {
    }

    /** The batch sizes of a warm-up of {@code total} requests in batches of {@code batch} (the last may be smaller). */
    static List<Integer> batches(int total, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("a warm-up batch has at least one request");
        }
        List<Integer> out = new ArrayList<>();
        for (int left = total; left > 0; left -= batch) {
            out.add(Math.min(batch, left));
        }
        return out;
    }

    /** Runs the warm-up, printing each batch's figures to stderr. */
    static Result run(LoadDriver driver, int total, int batch, ProcCpu cpu, List<ProcCpu.Group> groups)
            throws InterruptedException {
        List<Batch> done = new ArrayList<>();
        long start = System.nanoTime();
        for (int size : batches(total, batch)) {
            Map<String, Double> c0 = cpu.snapshot(groups);
            long t0 = System.nanoTime();
            long ok = driver.phase(size).stream().filter(LoadDriver.Outcome::fulfilled).count();
            long t1 = System.nanoTime();
            Map<String, Double> c1 = cpu.snapshot(groups);
            Batch b = new Batch(size, (int) ok, (t1 - t0) / 1e9, sum(c1) - sum(c0));
            done.add(b);
            System.err.printf(Locale.ROOT, "bench: warm-up batch %d: %d of %d fulfilled, %.1f/s, %.1f ms CPU each%n",
                    done.size(), ok, size, b.perSecond(), b.cpuMsPerRequest());
        }
        return new Result(total, (System.nanoTime() - start) / 1e9, done);
    }

    private static double sum(Map<String, Double> cpu) {
        return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The report's "warmup" object. */
    static void describe(ObjectNode w, Result r) {
        w.put("requests", r.requests());
        w.put("seconds", CryptoCost.round(r.seconds(), 2));
        w.put("not_fulfilled", r.notFulfilled());
        ArrayNode a = w.putArray("batches");
        for (Batch b : r.batches()) {
            ObjectNode o = a.addObject();
            o.put("requests", b.requests());
            o.put("fulfilled", b.fulfilled());
            o.put("seconds", CryptoCost.round(b.seconds(), 3));
            o.put("per_s", CryptoCost.round(b.perSecond(), 2));
            o.put("cpu_ms_each", Double.isNaN(b.cpuMsPerRequest()) ? null : CryptoCost.round(b.cpuMsPerRequest(), 2));
        }
    }
}
