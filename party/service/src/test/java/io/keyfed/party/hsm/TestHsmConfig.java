package io.keyfed.party.hsm;

import java.util.Optional;

/**
 * A mutable {@link HsmConfig} for tests: fluent setters over {@link HsmSettings.Builder}, so the defaults
 * are the service's own; each getter reads the values as they are now.
 */
public final class TestHsmConfig implements HsmConfig {
    private final HsmSettings.Builder settings = HsmSettings.builder();

    public TestHsmConfig(String configFile) {
        settings.configFile(configFile);
    }

    public TestHsmConfig configFile(String v) {
        settings.configFile(v);
        return this;
    }

    public TestHsmConfig pinEnv(String v) {
        settings.pinEnv(v);
        return this;
    }

    public TestHsmConfig pinFile(String v) {
        settings.pinFile(Optional.ofNullable(v));
        return this;
    }

    public TestHsmConfig identityAlias(String v) {
        settings.identityAlias(v);
        return this;
    }

    public TestHsmConfig sealingAlias(String v) {
        settings.sealingAlias(v);
        return this;
    }

    public TestHsmConfig agreementAlias(String v) {
        settings.agreementAlias(v);
        return this;
    }

    public TestHsmConfig agreementEnabled(boolean v) {
        settings.agreementEnabled(v);
        return this;
    }

    public TestHsmConfig createMissingKeys(boolean v) {
        settings.createMissingKeys(v);
        return this;
    }

    private HsmConfig now() {
        return settings.build();
    }

    @Override
    public String configFile() {
        return now().configFile();
    }

    @Override
    public String pinEnv() {
        return now().pinEnv();
    }

    @Override
    public Optional<String> pinFile() {
        return now().pinFile();
    }

    @Override
    public String identityAlias() {
        return now().identityAlias();
    }

    @Override
    public String sealingAlias() {
        return now().sealingAlias();
    }

    @Override
    public String agreementAlias() {
        return now().agreementAlias();
    }

    @Override
    public boolean agreementEnabled() {
        return now().agreementEnabled();
    }

    @Override
    public boolean createMissingKeys() {
        return now().createMissingKeys();
    }
}
