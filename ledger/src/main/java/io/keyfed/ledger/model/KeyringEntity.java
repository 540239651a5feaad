package io.keyfed.ledger.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A keyring; {@code data} is the serialised {@code Keyring} message. */
@Entity
@Table(name = "keyrings")
public class KeyringEntity {
    @Id
    public String address;
    public String creator;
    @Column(name = "created_height")
    public long createdHeight;
    public byte[] data;
}
