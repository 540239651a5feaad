package io.keyfed.platform.testing;

import java.util.Set;
import java.util.TreeSet;

/**
 * Reads samples out of the Prometheus text a service's {@code /q/metrics} serves, as a scraper would: the
 * metrics tests of the ledger and of the end-to-end suite both read scrapes through it.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The sample names in a scrape: counters with {@code _total}, histograms as {@code _bucket}, {@code _count},
     * {@code _sum} (and Micrometer's {@code _max}), gauges as they are. A dashboard query must name one of these
     * exactly, so a histogram queried without {@code _bucket}, or a counter without {@code _total}, is caught.
     */
    public static Set<String> samples(String text) {
        Set<String> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            if (end > 0) {
                out.add(line.substring(0, end));
            }
        }
        return out;
    }

    /** The sum of the samples of {@code name} whose labels include every {@code key="value"} given; 0 if none. */
    public static double sum(String text, String name, String... labels) {
        double sum = 0;
        for (String raw : text.split("\n")) {
            if (raw.startsWith("#")) {
                continue;
            }
            String line = withoutExemplar(raw);
            int end = line.lastIndexOf(' ');
            if (end < 0) {
                continue;
            }
            String series = line.substring(0, end);
            String sample = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (!sample.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= series.contains("{" + l + ",") || series.contains("," + l + ",") || series.contains("," + l + "}")
                        || series.contains("{" + l + "}");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(end + 1));
            }
        }
        return sum;
    }

    /**
     * The sample line without its exemplar: a counter or bucket incremented inside a sampled span is written
     * {@code name{labels} value # {trace_id="…",span_id="…"} value timestamp} (OpenMetrics).
     */
    public static String withoutExemplar(String line) {
        int hash = line.indexOf(" # ");
        return hash < 0 ? line : line.substring(0, hash);
    }
}
