package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Ledger parameters fixed at genesis (singleton row). */
@Entity
@Table(name = "params")
public class ParamsEntity {
    @Id
    public Integer id;
    @Column(name = "chain_id")
    public String chainId;
    @Column(name = "address_prefix")
    public String addressPrefix;
    public String denom;
    @Column(name = "genesis_supply")
    public long genesisSupply;
    @Column(name = "escrow_address")
    public String escrowAddress;
    @Column(name = "default_timeout_seconds")
    public long defaultTimeoutSeconds;
    @Column(name = "max_timeout_seconds")
    public long maxTimeoutSeconds;
}
