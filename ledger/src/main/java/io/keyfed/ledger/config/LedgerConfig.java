package io.keyfed.ledger.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the ledger, under {@code keyfed.ledger.*}. */
@ConfigMapping(prefix = "keyfed.ledger")
public interface LedgerConfig {

    /** Chain id used when the genesis file names none. Default {@code keyfed-1}. */
    @WithDefault("keyfed-1")
    String chainId();

    /** bech32 prefix of account addresses. Default {@code zen}. */
    @WithDefault("zen")
    String addressPrefix();

    /** Genesis file applied once, to an empty database. Default {@code genesis.json} (working directory). */
    @WithDefault("genesis.json")
    String genesisFile();

    /** Key-request timeout when a request names none and genesis sets none. Default 5 minutes. */
    @WithDefault("5m")
    Duration defaultTimeout();

    /** Longest key-request timeout accepted, unless genesis sets one. Default 24 hours. */
    @WithDefault("24h")
    Duration maxTimeout();

    /** How often the deadline sweep runs (a scheduler expression such as {@code 5s}). Default 5s. */
    @WithDefault("5s")
    String timeoutSweepInterval();

    /**
     * How often the escrow balance gauge ({@code keyfed_ledger_escrow_balance}) is read again from the database
     * besides after each escrow movement of this process (a scheduler expression such as {@code 15s}); catches
     * the movements of other replicas. Default 15s.
     */
    @WithDefault("15s")
    String escrowRefreshInterval();

    /** Embedded PostgreSQL data directory, used only when no datasource is configured. */
    @WithDefault(".keyfed/ledger/pgdata")
    String dataDir();

    /** Most events a watch stream reads from the database per query. Default 256. */
    @WithDefault("256")
    int watchBatchSize();

    /**
     * Most state changes (transactions, party responses, expiries) applied in one database transaction
     * under one chain-head lock and one commit (group commit; see
     * {@code io.keyfed.ledger.service.CommitSequencer}). 1 turns batching off. Default 64.
     */
    @WithDefault("64")
    int commitBatchSize();
}
