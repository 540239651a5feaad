package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.AccountEntity;
import io.keyfed.ledger.repository.AccountRepository;
import io.keyfed.ledger.repository.AccountSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/** Moves urock between balance rows; total supply is conserved by construction. */
@ApplicationScoped
public class Balances {
    private final AccountRepository accounts;
    private final AccountSql sql;

    public Balances(AccountRepository accounts, AccountSql sql) {
        this.accounts = accounts;
        this.sql = sql;
    }

    /** The balance row of {@code address}, created empty if missing. */
    public Uni<AccountEntity> account(String address) {
        return accounts.findById(address).chain(a -> a != null ? Uni.createFrom().item(a)
                : accounts.persist(AccountEntity.empty(address)));
    }

    /** Moves {@code amount} from one row to another; FAILED_PRECONDITION when the payer cannot cover it. */
    public Uni<Void> transfer(String from, String to, long amount) {
        if (amount == 0) {
            return Uni.createFrom().voidItem();
        }
        return account(from).chain(a -> account(to).invoke(b -> {
            if (a.balance < amount) {
                throw LedgerException.precondition("insufficient funds: " + from + " has " + a.balance
                        + " urock, needs " + amount);
            }
            a.balance -= amount;
            b.balance = Math.addExact(b.balance, amount);
        })).replaceWithVoid();
    }

    /**
     * The same, on a reactive-client connection ({@link CommitSequencer.SqlChange}): a relative debit that
     * changes nothing when the payer cannot cover it, then a credit that creates the payee's row if missing.
     */
    public Uni<Void> transfer(SqlConnection c, String from, String to, long amount) {
        if (amount == 0) {
            return Uni.createFrom().voidItem();
        }
        return sql.debit(c, from, amount).chain(paid -> paid ? sql.credit(c, to, amount)
                : sql.balance(c, from).map(balance -> {
                    throw LedgerException.precondition("insufficient funds: " + from + " has " + balance
                            + " urock, needs " + amount);
                }));
    }
}
