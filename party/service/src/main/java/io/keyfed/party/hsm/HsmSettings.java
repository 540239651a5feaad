package io.keyfed.party.hsm;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@link HsmConfig} built from plain values, for code that opens the party's token outside the
 * service's configuration (party-tool, the benchmarks). Every value not set on the {@link Builder} is the
 * service's default, the same as the {@code @WithDefault} of {@link HsmConfig}.
 */
public final class HsmSettings implements HsmConfig {
    private final String configFile;
    private final String pinEnv;
    private final Optional<String> pinFile;
    private final String identityAlias;
    private final String sealingAlias;
    private final String agreementAlias;
    private final boolean agreementEnabled;
    private final boolean createMissingKeys;

    private HsmSettings(Builder b) {
        this.configFile = b.configFile;
        this.pinEnv = b.pinEnv;
        this.pinFile = b.pinFile;
        this.identityAlias = b.identityAlias;
        this.sealingAlias = b.sealingAlias;
        this.agreementAlias = b.agreementAlias;
        this.agreementEnabled = b.agreementEnabled;
        this.createMissingKeys = b.createMissingKeys;
    }

    /** A builder holding the service's defaults. */
    public static Builder builder() {
        return new Builder();
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
        return pinFile;
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

    /** Starts from the defaults of {@link HsmConfig}; each setter replaces one value. */
    public static final class Builder {
        private String configFile = "/etc/keyfed/sunpkcs11.cfg";
        private String pinEnv = "KEYFED_HSM_USER_PIN";
        private Optional<String> pinFile = Optional.empty();
        private String identityAlias = "keyfed-identity";
        private String sealingAlias = "keyfed-sealing";
        private String agreementAlias = "keyfed-agreement";
        private boolean agreementEnabled = true;
        private boolean createMissingKeys = true;

        private Builder() {
        }

        public Builder configFile(String configFile) {
            this.configFile = configFile;
            return this;
        }

        public Builder pinEnv(String pinEnv) {
            this.pinEnv = pinEnv;
            return this;
        }

        public Builder pinFile(Optional<String> pinFile) {
            this.pinFile = Objects.requireNonNull(pinFile);
            return this;
        }

        public Builder identityAlias(String identityAlias) {
            this.identityAlias = identityAlias;
            return this;
        }

        public Builder sealingAlias(String sealingAlias) {
            this.sealingAlias = sealingAlias;
            return this;
        }

        public Builder agreementAlias(String agreementAlias) {
            this.agreementAlias = agreementAlias;
            return this;
        }

        public Builder agreementEnabled(boolean agreementEnabled) {
            this.agreementEnabled = agreementEnabled;
            return this;
        }

        public Builder createMissingKeys(boolean createMissingKeys) {
            this.createMissingKeys = createMissingKeys;
            return this;
        }

        public HsmSettings build() {
            return new HsmSettings(this);
        }
    }
}
