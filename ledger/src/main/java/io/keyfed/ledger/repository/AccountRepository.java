package io.keyfed.ledger.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyfed.ledger.model.AccountEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, String> {

    /** Sum of every balance row (accounts, escrow, keyrings). */
    public Uni<Long> totalBalance() {
        return find("select coalesce(sum(a.balance), 0) from AccountEntity a").project(Long.class).firstResult();
    }
}
