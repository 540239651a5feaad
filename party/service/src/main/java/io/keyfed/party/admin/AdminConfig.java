package io.keyfed.party.admin;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The credential of the party's admin endpoints ({@code keyfed.party.admin.*}). The endpoints themselves live
 * on Quarkus's management interface ({@code quarkus.management.*}, see application.properties).
 */
@ConfigMapping(prefix = "keyfed.party.admin")
public interface AdminConfig {

    /**
     * {@code keyfed.party.admin.token-file}: a file outside git whose first line is the admin bearer token (at
     * least {@value AdminCredential#MIN_TOKEN_LENGTH} characters, no spaces), readable only by the party's user.
     * Read once at start; a configured file that cannot be read, is empty or holds a short token stops the party.
     * Default: none, and then every admin route answers 403 "admin disabled: no token file configured".
     */
    Optional<String> tokenFile();
}
