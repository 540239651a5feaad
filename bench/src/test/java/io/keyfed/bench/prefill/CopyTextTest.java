package io.keyfed.bench.prefill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.keyfed.platform.testing.EmbeddedTestPostgres;

/** COPY's text format as PostgreSQL reads it back: escaped text, hex bytea, NULL, several rows per COPY. */
class CopyTextTest {
    @Test
    void rowsComeBackAsWritten() throws Exception {
        try (EmbeddedTestPostgres pg = EmbeddedTestPostgres.start("copy-text");
                Connection c = pg.dataSource(pg.createDatabase("copy")).getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("create table t (n bigint, s text, b bytea)");
            String odd = "tab\there, new\nline, back\\slash, cr\r, quote ' and \\N";
            byte[] bytes = { 0, 1, (byte) 0xff, (byte) 0x80, 0x5c, 0x09 };
            CopyText rows = new CopyText("t", "(n, s, b)");
            rows.num(1).text(odd).bytes(bytes).end();
            rows.num(-2).text("").bytes(null).end();
            assertEquals(2, rows.pending());
            assertEquals(2, rows.copy(c.unwrap(PGConnection.class).getCopyAPI()));
            assertEquals(0, rows.pending());
            try (ResultSet rs = st.executeQuery("select n, s, b from t order by n desc")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getLong(1));
                assertEquals(odd, rs.getString(2));
                assertArrayEquals(bytes, rs.getBytes(3));
                assertTrue(rs.next());
                assertEquals(-2, rs.getLong(1));
                assertEquals("", rs.getString(2));
                assertNull(rs.getBytes(3));
                assertFalse(rs.next());
            }
        }
    }
}
