package io.keyfed.party.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The party's own settings ({@code keyfed.party.*}); the token's are under {@code keyfed.party.hsm.*}
 * ({@link io.keyfed.party.hsm.HsmConfig}). Every key has a default; see each method.
 */
@ConfigMapping(prefix = "keyfed.party")
public interface PartyConfig {

    /** {@code keyfed.party.address-prefix}: bech32 prefix of account addresses. Default {@code zen}. */
    @WithDefault("zen")
    String addressPrefix();

    /**
     * {@code keyfed.party.data-dir}: the party's own folder. Without a configured datasource
     * ({@code quarkus.datasource.jdbc.url} / {@code reactive.url}) its embedded PostgreSQL keeps the
     * party's results in {@code <data-dir>/pgdata} ({@link PartyMain}). Default {@code .keyfed/party}.
     */
    @WithDefault(".keyfed/party")
    String dataDir();

    /**
     * {@code keyfed.party.peers}: the other parties' gRPC endpoints, {@code ADDRESS@HOST:PORT,...}.
     * The entry with this party's own address is ignored, so every party can be given the same
     * list. Default: none (a session with peers then fails).
     */
    Optional<String> peers();

    /**
     * {@code keyfed.party.max-held-messages}: most peer messages held for one request whose
     * Keygen has not arrived yet (also bounds messages queued while a session resolves its
     * peers). Default 64.
     */
    @WithDefault("64")
    int maxHeldMessages();

    /** {@code keyfed.party.max-held-requests}: most distinct requests with held messages. Default 1024. */
    @WithDefault("1024")
    int maxHeldRequests();

    /**
     * {@code keyfed.party.held-message-ttl}: how long held messages wait for their Keygen before
     * they are dropped. Default 10m.
     */
    @WithDefault("10m")
    Duration heldMessageTtl();

    /** {@code keyfed.party.max-sessions}: most DKG sessions running at once. Default 64. */
    @WithDefault("64")
    int maxSessions();

    /**
     * {@code keyfed.party.max-session-lifetime}: a session ends at its request's deadline, but no
     * later than this after it started. Default 10m.
     */
    @WithDefault("10m")
    Duration maxSessionLifetime();

    /** {@code keyfed.party.peer-call-timeout}: deadline of one call to a peer. Default 5s. */
    @WithDefault("5s")
    Duration peerCallTimeout();

    /** {@code keyfed.party.worker-threads}: threads for PKCS#11 calls and DKG arithmetic. Default 4. */
    @WithDefault("4")
    int workerThreads();
}
