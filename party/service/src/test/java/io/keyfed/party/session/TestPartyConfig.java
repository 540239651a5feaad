package io.keyfed.party.session;

import java.time.Duration;
import java.util.Optional;

import io.keyfed.party.config.PartyConfig;

/** A mutable {@link PartyConfig} for tests, with the documented defaults. */
public final class TestPartyConfig implements PartyConfig {
    public String addressPrefix = "zen";
    public String dataDir;
    public String peers;
    public int maxHeldMessages = 64;
    public int maxHeldPerPeer = 256;
    public Duration heldMessageTtl;
    public int maxConfirmations = 64;
    public Duration ledgerCallTimeout = Duration.ofSeconds(5);
    public Duration ledgerConfirmTimeout = Duration.ofSeconds(30);
    public Duration ledgerPollBackoff = Duration.ofMillis(200);
    public Duration ledgerPollMaxBackoff = Duration.ofSeconds(2);
    public int maxSessions = 64;
    public Duration maxSessionLifetime = Duration.ofMinutes(10);
    public Duration peerCallTimeout = Duration.ofSeconds(5);
    public int workerThreads = 2;
    public Duration signingAttemptTimeout = Duration.ofSeconds(10);
    public int maxSigningFaults = 256;
    public Duration pairSetupTimeout = Duration.ofSeconds(30);
    public int maxPairSetups = 16;

    public TestPartyConfig(String dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public String addressPrefix() {
        return addressPrefix;
    }

    @Override
    public String dataDir() {
        return dataDir;
    }

    @Override
    public Optional<String> peers() {
        return Optional.ofNullable(peers);
    }

    @Override
    public int maxHeldMessages() {
        return maxHeldMessages;
    }

    @Override
    public int maxHeldPerPeer() {
        return maxHeldPerPeer;
    }

    @Override
    public Optional<Duration> heldMessageTtl() {
        return Optional.ofNullable(heldMessageTtl);
    }

    @Override
    public int maxConfirmations() {
        return maxConfirmations;
    }

    @Override
    public Duration ledgerCallTimeout() {
        return ledgerCallTimeout;
    }

    @Override
    public Duration ledgerConfirmTimeout() {
        return ledgerConfirmTimeout;
    }

    @Override
    public Duration ledgerPollBackoff() {
        return ledgerPollBackoff;
    }

    @Override
    public Duration ledgerPollMaxBackoff() {
        return ledgerPollMaxBackoff;
    }

    @Override
    public int maxSessions() {
        return maxSessions;
    }

    @Override
    public Duration maxSessionLifetime() {
        return maxSessionLifetime;
    }

    @Override
    public Duration peerCallTimeout() {
        return peerCallTimeout;
    }

    @Override
    public int workerThreads() {
        return workerThreads;
    }

    @Override
    public Duration signingAttemptTimeout() {
        return signingAttemptTimeout;
    }

    @Override
    public int maxSigningFaults() {
        return maxSigningFaults;
    }

    @Override
    public Duration pairSetupTimeout() {
        return pairSetupTimeout;
    }

    @Override
    public int maxPairSetups() {
        return maxPairSetups;
    }
}
