package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.AccountEntity;
import io.keyfed.ledger.repository.AccountRepository;
import io.smallrye.mutiny.Uni;

/** Moves urock between balance rows; total supply is conserved by construction. */
@ApplicationScoped
public class Balances {
    private final AccountRepository accounts;

    public Balances(AccountRepository accounts) {
        this.accounts = accounts;
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
}
