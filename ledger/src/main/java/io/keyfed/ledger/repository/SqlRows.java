package io.keyfed.ledger.repository;

import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** What the plain-SQL repositories share: a query by primary key, its row mapped to a value. */
final class SqlRows {
    private SqlRows() {
    }

    /** The row of {@code sql} (a query by primary key, {@code $1}) for {@code key}, mapped; null when there is none. */
    static <T> Uni<T> byKey(SqlClient client, String sql, Object key, Function<Row, T> map) {
        return client.preparedQuery(sql).execute(Tuple.of(key)).map(rows -> {
            T found = null;
            for (Row row : rows) {
                found = map.apply(row);
            }
            return found;
        });
    }

    /** The {@code data} column (a serialised protobuf) of a row. */
    static byte[] data(Row row) {
        return row.getBuffer("data").getBytes();
    }
}
