package io.keyfed.party.hsm;

import java.util.Optional;

/** A mutable {@link HsmConfig} for tests, with the documented defaults. */
public final class TestHsmConfig implements HsmConfig {
    private String configFile;
    private String pinEnv = "KEYFED_HSM_USER_PIN";
    private String pinFile;
    private String identityAlias = "keyfed-identity";
    private String sealingAlias = "keyfed-sealing";
    private String agreementAlias = "keyfed-agreement";
    private boolean agreementEnabled = true;
    private boolean createMissingKeys = true;

    public TestHsmConfig(String configFile) {
        this.configFile = configFile;
    }

    public TestHsmConfig configFile(String v) {
        configFile = v;
        return this;
    }

    public TestHsmConfig pinEnv(String v) {
        pinEnv = v;
        return this;
    }

    public TestHsmConfig pinFile(String v) {
        pinFile = v;
        return this;
    }

    public TestHsmConfig identityAlias(String v) {
        identityAlias = v;
        return this;
    }

    public TestHsmConfig sealingAlias(String v) {
        sealingAlias = v;
        return this;
    }

    public TestHsmConfig agreementAlias(String v) {
        agreementAlias = v;
        return this;
    }

    public TestHsmConfig agreementEnabled(boolean v) {
        agreementEnabled = v;
        return this;
    }

    public TestHsmConfig createMissingKeys(boolean v) {
        createMissingKeys = v;
        return this;
    }

    @Override
    public String configFile() {
        return configFile;
    }

    @Override
    public String pinEnv() {
        return pinEnv;
    }

    @Override
    public Optional<String> pinFile() {
        return Optional.ofNullable(pinFile);
    }

    @Override
    public String identityAlias() {
        return identityAlias;
    }

    @Override
    public String sealingAlias() {
        return sealingAlias;
    }

    @Override
    public String agreementAlias() {
        return agreementAlias;
    }

    @Override
    public boolean agreementEnabled() {
        return agreementEnabled;
    }

    @Override
    public boolean createMissingKeys() {
        return createMissingKeys;
    }
}
