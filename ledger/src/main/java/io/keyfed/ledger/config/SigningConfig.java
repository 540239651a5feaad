package io.keyfed.ledger.config;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of sign requests, under {@code keyfed.ledger.signing.*}. */
@ConfigMapping(prefix = "keyfed.ledger.signing")
public interface SigningConfig {

    /**
     * Signature schemes the parties can produce, so sign requests for them are accepted: any of {@code ed25519},
     * {@code bip340}, {@code ecdsa}. A request for a key of another scheme is refused (FAILED_PRECONDITION,
     * naming the scheme). Default {@code ed25519,bip340,ecdsa}: every scheme the parties sign (FROST for the first
     * two, threshold ECDSA for ecdsa and bitcoin keys); narrow it to refuse a scheme's requests.
     */
    @WithDefault("ed25519,bip340,ecdsa")
    List<String> schemes();
}
