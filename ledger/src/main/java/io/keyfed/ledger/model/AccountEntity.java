package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Balance row of an account, or of a module/keyring address (escrow, released fees). */
@Entity
@Table(name = "accounts")
public class AccountEntity {
    @Id
    public String address;
    @Column(name = "public_key")
    public byte[] publicKey;
    public long sequence;
    public long balance;

    public static AccountEntity empty(String address) {
        AccountEntity a = new AccountEntity();
        a.address = address;
        return a;
    }
}
