package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Head of the tx log (singleton row, locked by every state change). */
@Entity
@Table(name = "chain_head")
public class ChainHeadEntity {
    public static final int ID = 1;

    @Id
    public Integer id;
    public long height;
    public byte[] hash;
    @Column(name = "next_request_id")
    public long nextRequestId;
    @Column(name = "next_sign_request_id")
    public long nextSignRequestId;
}
