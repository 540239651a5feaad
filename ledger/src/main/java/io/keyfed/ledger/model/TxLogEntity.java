package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One accepted state change in the hash-chained log. */
@Entity
@Table(name = "tx_log")
public class TxLogEntity {
    @Id
    public Long height;
    public byte[] hash;
    @Column(name = "prev_hash")
    public byte[] prevHash;
    public String kind;
    @Column(name = "tx_bytes")
    public byte[] txBytes;
    public String outcome;
    public String sender;
    @Column(name = "time_unix_ms")
    public long timeUnixMs;
}
