package io.keyfed.party.hsm;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where the party's PKCS#11 token is and which keys in it the party uses
 * ({@code keyfed.party.hsm.*}). Every key has a default; see each method.
 */
@ConfigMapping(prefix = "keyfed.party.hsm")
public interface HsmConfig {

    /**
     * {@code keyfed.party.hsm.config-file}: path of the SunPKCS11 configuration file (library,
     * slotListIndex, key templates; see hsm-config/sunpkcs11.cfg.template).
     * Default {@code /etc/keyfed/sunpkcs11.cfg}.
     */
    @WithDefault("/etc/keyfed/sunpkcs11.cfg")
    String configFile();

    /**
     * {@code keyfed.party.hsm.pin-env}: name of the environment variable holding the token's user
     * PIN, used when no pin-file is set. Default {@code KEYFED_HSM_USER_PIN}.
     */
    @WithDefault("KEYFED_HSM_USER_PIN")
    String pinEnv();

    /**
     * {@code keyfed.party.hsm.pin-file}: file whose first line is the user PIN; takes precedence
     * over pin-env. Keep it readable by the party's user only. Default: none.
     */
    Optional<String> pinFile();

    /** {@code keyfed.party.hsm.identity-alias}: secp256k1 identity key. Default {@code keyfed-identity}. */
    @WithDefault("keyfed-identity")
    String identityAlias();

    /** {@code keyfed.party.hsm.sealing-alias}: AES-256 sealing key. Default {@code keyfed-sealing}. */
    @WithDefault("keyfed-sealing")
    String sealingAlias();

    /** {@code keyfed.party.hsm.agreement-alias}: P-256 ECDH key. Default {@code keyfed-agreement}. */
    @WithDefault("keyfed-agreement")
    String agreementAlias();

    /**
     * {@code keyfed.party.hsm.agreement-enabled}: whether the party holds (and probes) the
     * key-agreement key. Default {@code true}.
     */
    @WithDefault("true")
    boolean agreementEnabled();

    /**
     * {@code keyfed.party.hsm.create-missing-keys}: create keys that are not in the token yet
     * (first start). With {@code false} a missing key is a start-up error. Default {@code true}.
     */
    @WithDefault("true")
    boolean createMissingKeys();
}
