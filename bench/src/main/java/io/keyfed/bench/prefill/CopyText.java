package io.keyfed.bench.prefill;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.SQLException;

import org.postgresql.copy.CopyManager;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} in its text format: columns separated by tabs, rows by
 * newlines, backslash escapes in text, {@code bytea} in hex ({@code \\x...}, the backslash itself escaped).
 * One instance collects the rows of one table; {@link #copy} sends them in one COPY and starts over.
 */
final class CopyText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String table;
    private final String columns;
    private final StringBuilder rows = new StringBuilder(1 << 16);
    private boolean rowStarted;
    private long count;

    /** {@code columns}: the column list, e.g. {@code "(id, data)"}, in the order values are added. */
    CopyText(String table, String columns) {
        this.table = table;
        this.columns = columns;
    }

    CopyText num(long v) {
        sep();
        rows.append(v);
        return this;
    }

    CopyText text(String s) {
        sep();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return this;
    }

    CopyText bytes(byte[] b) {
        sep();
        if (b == null) {
            rows.append("\\N");
            return this;
        }
        rows.append("\\\\x");
        for (byte x : b) {
            rows.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
        }
        return this;
    }

    /** Ends the current row. */
    void end() {
        rows.append('\n');
        rowStarted = false;
        count++;
    }

    private void sep() {
        if (rowStarted) {
            rows.append('\t');
        }
        rowStarted = true;
    }

    /** Rows collected since the last {@link #copy}. */
    long pending() {
        return count;
    }

    /** Sends the collected rows in one COPY (nothing when there are none); returns how many. */
    long copy(CopyManager copy) throws SQLException, IOException {
        if (count == 0) {
            return 0;
        }
        long n;
        try (Reader r = new StringReader(rows.toString())) {
            n = copy.copyIn("copy " + table + " " + columns + " from stdin", r);
        }
        rows.setLength(0);
        count = 0;
        return n;
    }
}
