package io.keyfed.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The results of a JMH run written with {@code -rf json}: an array of benchmarks, each with its name, mode,
 * threads, parameters and primary metric. Only time-per-operation results are read ({@code avgt} or {@code ss},
 * score units {@code s/op}, {@code ms/op}, {@code us/op} or {@code ns/op}); each score is converted to ms.
 */
final class JmhResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One benchmark's result: score and its 99.9% error (NaN when JMH gave none) in ms per operation. */
    record Result(String benchmark, String mode, int threads, Map<String, String> params, double ms,
            double errorMs) {
        /** Whether this is {@code simpleName} ("Class.method", matched against the end of the full name). */
        boolean is(String simpleName) {
            return benchmark.equals(simpleName) || benchmark.endsWith("." + simpleName);
        }
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = List.copyOf(results);
    }

    List<Result> all() {
        return results;
    }

    /** Reads a JMH JSON result file. */
    static JmhResults read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /**
     * Parses the text of a JMH JSON result file.
     *
     * @throws IllegalArgumentException naming what is wrong: not a JMH result array, a missing field, a
     *         throughput or sample-mode score (not a time per operation)
     */
    static JmhResults parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not a JMH result file (-rf json): expected an array of benchmarks");
        }
        List<Result> out = new ArrayList<>();
        for (JsonNode b : root) {
            String name = text(b, "benchmark");
            String mode = text(b, "mode");
            JsonNode metric = b.get("primaryMetric");
            if (metric == null || !metric.isObject()) {
                throw new IllegalArgumentException(name + ": no primaryMetric");
            }
            double factor = toMs(name, text(metric, "scoreUnit"));
            JsonNode score = metric.get("score");
            if (score == null || !score.isNumber()) {
                throw new IllegalArgumentException(name + ": primaryMetric.score is not a number");
            }
            JsonNode err = metric.get("scoreError");
            // JMH writes "NaN" (a string) when there were too few iterations for an error.
            double error = err != null && err.isNumber() ? err.asDouble() * factor : Double.NaN;
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = b.get("params");
            if (p != null && p.isObject()) {
                p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            out.add(new Result(name, mode, b.path("threads").asInt(1), params, score.asDouble() * factor, error));
        }
        return new JmhResults(out);
    }

    /**
     * The result of benchmark {@code simpleName} ("Class.method") whose parameters include every entry of
     * {@code params}; if several match, the first in the file.
     *
     * @throws IllegalArgumentException when none does, naming the benchmark and the parameters
     */
    Result find(String simpleName, Map<String, String> params) {
        for (Result r : results) {
            if (r.is(simpleName) && r.params().entrySet().containsAll(params.entrySet())) {
                return r;
            }
        }
        throw new IllegalArgumentException("no JMH result for " + simpleName + (params.isEmpty() ? "" : " " + params)
                + " (results for: " + results.stream().map(r -> shortName(r.benchmark()) + r.params()).toList() + ")");
    }

    /** "Class.method" of a full benchmark name. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    private static double toMs(String name, String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException(name + ": score unit '" + unit
                    + "' is not a time per operation (run JMH with -bm avgt)");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("a JMH result without '" + field + "'");
        }
        return v.asText();
    }
}
