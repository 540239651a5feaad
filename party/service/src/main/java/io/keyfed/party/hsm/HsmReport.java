package io.keyfed.party.hsm;

import java.util.List;
import java.util.Optional;

/**
 * What {@link HsmToken#inspect(HsmConfig)} found in a token, without changing it: the provider,
 * the mechanisms the party needs, whether login worked, and the party's keys. Holds no secrets.
 */
public final class HsmReport {

    /** One mechanism the party needs. */
    public static final class Mechanism {
        private final String name;
        private final String service;
        private final boolean available;
        private final String consequence;

        Mechanism(String name, String service, boolean available, String consequence) {
            this.name = name;
            this.service = service;
            this.available = available;
            this.consequence = consequence;
        }

        /** PKCS#11 name, e.g. {@code CKM_AES_GCM}. */
        public String name() {
            return name;
        }

        /** JCA service, e.g. {@code Cipher AES/GCM/NoPadding}. */
        public String service() {
            return service;
        }

        public boolean available() {
            return available;
        }

        /** What the party cannot do without it. */
        public String consequence() {
            return consequence;
        }

        @Override
        public String toString() {
            return name + " (" + service + "): " + (available ? "available" : "MISSING: " + consequence);
        }
    }

    private final String provider;
    private final String providerInfo;
    private final List<Mechanism> mechanisms;
    private final String loginError;
    private final List<KeyStatus> keys;

    HsmReport(String provider, String providerInfo, List<Mechanism> mechanisms, String loginError,
            List<KeyStatus> keys) {
        this.provider = provider;
        this.providerInfo = providerInfo;
        this.mechanisms = List.copyOf(mechanisms);
        this.loginError = loginError;
        this.keys = List.copyOf(keys);
    }

    public String provider() {
        return provider;
    }

    /** SunPKCS11's description of the provider (library and slot). */
    public String providerInfo() {
        return providerInfo;
    }

    public List<Mechanism> mechanisms() {
        return mechanisms;
    }

    /** Why login failed (with the CKR_ code), or empty when it worked. */
    public Optional<String> loginError() {
        return Optional.ofNullable(loginError);
    }

    /** The party's keys (empty when login failed). */
    public List<KeyStatus> keys() {
        return keys;
    }

    /** Every mechanism available, login worked, and every key present and protected. */
    public boolean ok() {
        return loginError == null && mechanisms.stream().allMatch(Mechanism::available) && !keys.isEmpty()
                && keys.stream().allMatch(KeyStatus::protectedInToken);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(provider).append(" (").append(providerInfo).append(")\n");
        mechanisms.forEach(m -> sb.append("  ").append(m).append('\n'));
        sb.append("  login: ").append(loginError == null ? "ok" : loginError).append('\n');
        keys.forEach(k -> sb.append("  ").append(k).append('\n'));
        return sb.toString();
    }
}
