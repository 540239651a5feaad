package io.keyfed.cli.command;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Human output as aligned {@code key: value} lines, or JSON. */
public final class Output {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Context ctx;

    Output(Context ctx) {
        this.ctx = ctx;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Text from the ledger as it may be printed to a terminal: each control character (NUL, line breaks, ESC of
     * a colour or cursor sequence, C1) is written as a {@code \\uXXXX} escape, so stored text cannot forge lines
     * or drive the terminal. JSON output needs no such step: JSON escapes control characters itself.
     */
    public static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(String.format("\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** An ordered list of label/value pairs. */
    public static final class Fields {
        private final List<String[]> rows = new ArrayList<>();

        public Fields add(String label, Object value) {
            rows.add(new String[] {escape(label), value == null ? "" : escape(String.valueOf(value))});
            return this;
        }

        /** Adds the pair only when the value is non-empty (and not zero for numbers). */
        public Fields addIfSet(String label, Object value) {
            if (value == null || value.toString().isEmpty() || (value instanceof Number n && n.longValue() == 0)) {
                return this;
            }
            return add(label, value);
        }

        public Fields addAll(Fields other) {
            rows.addAll(other.rows);
            return this;
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    public void json(JsonNode node) {
        try {
            ctx.out().println(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void line(String s) {
        ctx.out().println(s);
    }

    /** Aligned {@code label: value} lines. */
    public void fields(Fields f) {
        ctx.out().print(render(f, ""));
    }

    /** A JSON object flattened into aligned lines (nested names joined with '.'; list items indexed). */
    public void object(JsonNode node) {
        fields(flatten(node));
    }

    /** Several objects, separated by blank lines; "(none)" when empty. */
    public void objects(List<JsonNode> nodes) {
        if (nodes.isEmpty()) {
            line("(none)");
            return;
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0) {
                ctx.out().println();
            }
            object(nodes.get(i));
        }
    }

    /** Column-aligned rows; the first row is the header. */
    public void table(List<String[]> rows) {
        if (rows.size() <= 1) {
            line("(none)");
            return;
        }
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        List<String[]> safe = new ArrayList<>();
        for (String[] r : rows) {
            String[] e = new String[cols];
            for (int i = 0; i < cols; i++) {
                e[i] = escape(r[i]);
                w[i] = Math.max(w[i], e[i].length());
            }
            safe.add(e);
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : safe) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(w[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
        ctx.out().print(sb);
    }

    public static Fields flatten(JsonNode node) {
        Fields f = new Fields();
        flatten(node, "", f);
        return f;
    }

    private static void flatten(JsonNode n, String path, Fields f) {
        if (n == null || n.isNull()) {
            if (!path.isEmpty()) {
                f.add(path, "");
            }
        } else if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            if (!it.hasNext() && !path.isEmpty()) {
                f.add(path, "{}");
            }
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), f);
            }
        } else if (n.isArray()) {
            if (n.isEmpty()) {
                f.add(path, "(none)");
            } else if (allScalars(n)) {
                List<String> parts = new ArrayList<>();
                n.forEach(x -> parts.add(x.asText()));
                f.add(path, String.join(", ", parts));
            } else {
                for (int i = 0; i < n.size(); i++) {
                    flatten(n.get(i), path + "[" + i + "]", f);
                }
            }
        } else {
            f.add(path.isEmpty() ? "value" : path, n.asText());
        }
    }

    private static boolean allScalars(JsonNode arr) {
        for (JsonNode x : arr) {
            if (x.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    static String render(Fields f, String indent) {
        int width = 0;
        for (String[] r : f.rows) {
            width = Math.max(width, r[0].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : f.rows) {
            sb.append(indent).append(r[0]).append(':');
            if (!r[1].isEmpty()) {
                sb.append(" ".repeat(width - r[0].length() + 1)).append(r[1]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
