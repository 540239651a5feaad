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
     * {@code keyfed.party.max-held-messages}: most peer messages a new session queues while it resolves its
     * peers (before it can authenticate them). Default 64.
     */
    @WithDefault("64")
    int maxHeldMessages();

    /**
     * {@code keyfed.party.max-held-per-peer}: most early messages held from one configured peer, over all the
     * requests this party has not confirmed with the ledger yet. More from that peer → {@code RESOURCE_EXHAUSTED}
     * (the peer retries). Default 256.
     */
    @WithDefault("256")
    int maxHeldPerPeer();

    /**
     * {@code keyfed.party.held-message-ttl}: how long a held early message waits for its request to be
     * confirmed here before it is dropped. Default: {@link #maxSessionLifetime()}.
     */
    Optional<Duration> heldMessageTtl();

    /**
     * {@code keyfed.party.max-confirmations}: most Keygen requests being confirmed with the ledger at once (one
     * ledger lookup per request id); more → {@code RESOURCE_EXHAUSTED}. Default 64.
     */
    @WithDefault("64")
    int maxConfirmations();

    /** {@code keyfed.party.ledger-call-timeout}: deadline of one call to the ledger. Default 5s. */
    @WithDefault("5s")
    Duration ledgerCallTimeout();

    /**
     * {@code keyfed.party.ledger-confirm-timeout}: how long the party keeps trying to confirm one request with
     * the ledger (transient failures retried), at most until the request's deadline. Default 30s.
     */
    @WithDefault("30s")
    Duration ledgerConfirmTimeout();

    /**
     * {@code keyfed.party.ledger-poll-backoff}: first pause between two reads of a pending share's request at
     * the ledger (after its session's CONFIRM phase ended without an answer, or after a restart); it doubles up
     * to {@link #ledgerPollMaxBackoff()}. Default 1s.
     */
    @WithDefault("1s")
    Duration ledgerPollBackoff();

    /**
     * {@code keyfed.party.ledger-poll-max-backoff}: longest pause between two reads of a pending share's request
     * at the ledger. Default 30s.
     */
    @WithDefault("30s")
    Duration ledgerPollMaxBackoff();

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

    /**
     * {@code keyfed.party.signing-attempt-timeout}: the longest one signing attempt runs before the parties move on
     * to the next coordinator (an attempt also gets no more than its share of the time left to the request's
     * deadline). Default 10s.
     */
    @WithDefault("10s")
    Duration signingAttemptTimeout();

    /** {@code keyfed.party.max-signing-faults}: faults kept for {@code GET /admin/signing/faults}. Default 256. */
    @WithDefault("256")
    int maxSigningFaults();

    /**
     * {@code keyfed.party.pair-setup-timeout}: longest one DKLs23 pairwise-setup run with a peer waits for it (HELLO
     * and five rounds); then it fails naming the peer. Default 30s.
     */
    @WithDefault("30s")
    Duration pairSetupTimeout();

    /**
     * {@code keyfed.party.max-pair-setups}: pairwise-setup runs at once (one per peer at most); more are refused
     * (logged at WARN). Default 16.
     */
    @WithDefault("16")
    int maxPairSetups();
}
