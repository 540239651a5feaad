package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One transition of a key request; {@code data} is the serialised request after it. */
@Entity
@Table(name = "key_request_events")
public class KeyRequestEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long cursor;
    @Column(name = "request_id")
    public long requestId;
    @Column(name = "keyring_addr")
    public String keyringAddr;
    public int status;
    public byte[] data;
}
