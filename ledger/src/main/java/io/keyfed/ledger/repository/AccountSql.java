package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** Balance rows in plain prepared SQL, as relative updates on a reactive-client connection. */
@ApplicationScoped
public class AccountSql {
    private static final String DEBIT = "update accounts set balance = balance - $2 where address = $1 and balance >= $2";
    private static final String CREDIT = "insert into accounts (address, balance) values ($1, $2)"
            + " on conflict (address) do update set balance = accounts.balance + excluded.balance";
    private static final String BALANCE = "select balance from accounts where address = $1";

    /** Takes {@code amount} from the row of {@code address}; false (and nothing changed) when it cannot cover it. */
    public Uni<Boolean> debit(SqlConnection c, String address, long amount) {
        return c.preparedQuery(DEBIT).execute(Tuple.of(address, amount)).map(rows -> rows.rowCount() == 1);
    }

    /** Adds {@code amount} to the row of {@code address}, created if missing. */
    public Uni<Void> credit(SqlConnection c, String address, long amount) {
        return c.preparedQuery(CREDIT).execute(Tuple.of(address, amount)).replaceWithVoid();
    }

    /** The balance of {@code address}; 0 when it has no row. */
    public Uni<Long> balance(SqlConnection c, String address) {
        return c.preparedQuery(BALANCE).execute(Tuple.of(address)).map(rows -> {
            long b = 0;
            for (Row row : rows) {
                b = row.getLong("balance");
            }
            return b;
        });
    }
}
