package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.AccountEntity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
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
    private static final String FIND = "select public_key, sequence, balance from accounts where address = $1";
    private static final String BUMP = "insert into accounts (address, public_key, sequence) values ($1, $2, 1)"
            + " on conflict (address) do update set sequence = accounts.sequence + 1,"
            + " public_key = coalesce(accounts.public_key, excluded.public_key)";

    /** The row of {@code address} as a plain value; an empty one (sequence 0, balance 0) when it has none. */
    public Uni<AccountEntity> find(SqlConnection c, String address) {
        return c.preparedQuery(FIND).execute(Tuple.of(address)).map(rows -> {
            AccountEntity a = AccountEntity.empty(address);
            for (Row row : rows) {
                Buffer key = row.getBuffer("public_key");
                a.publicKey = key == null ? null : key.getBytes();
                a.sequence = row.getLong("sequence");
                a.balance = row.getLong("balance");
            }
            return a;
        });
    }

    /** After a sender's transaction: its sequence + 1 and, on its first, its public key (the row made if missing). */
    public Uni<Void> bumpSequence(SqlConnection c, String address, byte[] publicKey) {
        return c.preparedQuery(BUMP).execute(Tuple.tuple().addString(address).addBuffer(Buffer.buffer(publicKey)))
                .replaceWithVoid();
    }

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
