package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One transition of a request, a key request ({@link #KIND_KEY}) or a sign request ({@link #KIND_SIGN});
 * {@code data} is the serialised request after it.
 */
@Entity
@Table(name = "request_events")
public class KeyRequestEventEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long cursor;
    public static final short KIND_KEY = 1;
    public static final short KIND_SIGN = 2;
    /** {@link #KIND_KEY} or {@link #KIND_SIGN}. */
    public short kind = KIND_KEY;
    @Column(name = "request_id")
    public long requestId;
    @Column(name = "keyring_addr")
    public String keyringAddr;
    public int status;
    public byte[] data;
}
