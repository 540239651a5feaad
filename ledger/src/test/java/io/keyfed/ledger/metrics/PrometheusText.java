package io.keyfed.ledger.metrics;

/** Reads samples out of the Prometheus text format, as a scraper would. */
final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * The sum of the samples of {@code name} whose labels include every {@code labels} entry ({@code key="value"});
     * 0 when there is none.
     */
    static double sum(String text, String name, String... labels) {
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
            String sampleName = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (!sampleName.equals(name)) {
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
    static String withoutExemplar(String line) {
        int hash = line.indexOf(" # ");
        return hash < 0 ? line : line.substring(0, hash);
    }
}
