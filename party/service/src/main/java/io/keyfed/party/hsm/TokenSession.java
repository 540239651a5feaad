package io.keyfed.party.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.security.auth.login.LoginException;

import org.jboss.logging.Logger;

import io.keyfed.api.crypto.Secp256k1;

/**
 * The logged-in session behind {@link HsmToken}: configuring the SunPKCS11 provider, the start-up
 * mechanism probes and self-test, login and logout, and {@link #withToken} — the one place for the
 * lifecycle lock, the operation timing ({@link HsmOperation.Listener}) and the PKCS#11 error handling
 * of every token call.
 *
 * <p>Invariants: the PIN is a {@code char[]} that is wiped right after login and never appears in a log
 * line or an exception (errors carry the CKR_ code and a hint naming the PIN's source, not the PIN). Every
 * call into the token blocks and runs on the caller's thread: callers keep it off the Vert.x event loop
 * (see {@link HsmToken}). After {@link #close()} every {@link #withToken} call fails with
 * {@link HsmException.Kind#CLOSED}. Logs under {@link HsmToken}'s category.
 */
final class TokenSession {
    private static final Logger LOG = Logger.getLogger(HsmToken.class);

    private final Provider provider;
    private final KeyStore keyStore;
    private final Object keyStoreLock = new Object();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final SecureRandom random;
    private boolean closed;
    private volatile HsmOperation.Listener listener = (op, nanos) -> { };

    TokenSession(Provider provider, KeyStore keyStore, SecureRandom random) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.random = random;
    }

    Provider provider() {
        return provider;
    }

    /** The token's key store; writes (and listing) hold {@link #keyStoreLock()}. */
    KeyStore keyStore() {
        return keyStore;
    }

    Object keyStoreLock() {
        return keyStoreLock;
    }

    SecureRandom random() {
        return random;
    }

    // ---------------------------------------------------------------------------------------
    // Provider, mechanisms, login
    // ---------------------------------------------------------------------------------------

    static Provider configure(Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new HsmException(HsmException.Kind.CONFIG, "SunPKCS11 configuration file " + configFile
                    + " not found (keyfed.party.hsm.config-file); write one from hsm-config/sunpkcs11.cfg.template");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new HsmException(HsmException.Kind.LIBRARY,
                    "this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki); use a full JDK runtime");
        }
        try {
            return base.configure(configFile.toString());
        } catch (RuntimeException e) {
            throw new HsmException(HsmException.Kind.LIBRARY, "cannot open the PKCS#11 token configured in "
                    + configFile + ": " + HsmException.rootMessage(e)
                    + ". Check 'library' (path of the PKCS#11 library), 'slotListIndex' (position of the token in"
                    + " the slot list, see pkcs11-tool --list-slots) and, for SoftHSM2, that SOFTHSM2_CONF is set in"
                    + " the party's environment and the token is initialised (hsm-config/init-token.sh)", e);
        }
    }

    /** A mechanism the party needs, with what it cannot do without it. */
    private static final class Need {
        final String type;
        final String algorithm;
        final String mechanism;
        final String consequence;

        Need(String type, String algorithm, String mechanism, String consequence) {
            this.type = type;
            this.algorithm = algorithm;
            this.mechanism = mechanism;
            this.consequence = consequence;
        }
    }

    private static List<Need> needs(boolean agreement, boolean create) {
        List<Need> needs = new ArrayList<>();
        if (create) {
            needs.add(new Need("KeyPairGenerator", "EC", "CKM_EC_KEY_PAIR_GEN",
                    "the party cannot create its secp256k1 identity key or its P-256 key-agreement key"));
            needs.add(new Need("KeyGenerator", "AES", "CKM_AES_KEY_GEN",
                    "the party cannot create its AES-256 sealing key"));
        }
        needs.add(new Need("Signature", "NONEwithECDSA", "CKM_ECDSA",
                "the party cannot sign its protocol messages and key-request responses inside the token"));
        needs.add(new Need("Cipher", "AES/GCM/NoPadding", "CKM_AES_GCM",
                "the party cannot seal or unseal its key shares"));
        if (agreement) {
            needs.add(new Need("KeyAgreement", "ECDH", "CKM_ECDH1_DERIVE",
                    "the party cannot derive pairwise channel keys or open shares encrypted to it"
                            + " (keyfed.party.hsm.agreement-enabled=false turns the key-agreement key off)"));
        }
        return needs;
    }

    /** The mechanisms the party needs, each with whether {@code provider} offers it (for {@link HsmReport}). */
    static List<HsmReport.Mechanism> mechanisms(Provider provider, boolean agreement, boolean create) {
        List<HsmReport.Mechanism> mechanisms = new ArrayList<>();
        for (Need need : needs(agreement, create)) {
            mechanisms.add(new HsmReport.Mechanism(need.mechanism, need.type + " " + need.algorithm,
                    provider.getService(need.type, need.algorithm) != null, need.consequence));
        }
        return mechanisms;
    }

    static void requireMechanisms(Provider provider, boolean agreement, boolean create) {
        List<String> missing = new ArrayList<>();
        for (Need need : needs(agreement, create)) {
            if (provider.getService(need.type, need.algorithm) == null) {
                missing.add(need.mechanism + " (" + need.type + " " + need.algorithm + "): " + need.consequence);
            }
        }
        if (!missing.isEmpty()) {
            throw new HsmException(HsmException.Kind.MECHANISM_MISSING, "the PKCS#11 token behind " + provider.getName()
                    + " lacks " + String.join("; ", missing)
                    + ". Check the token's mechanism list (pkcs11-tool --list-mechanisms) and that the SunPKCS11"
                    + " configuration does not disable it");
        }
    }

    static KeyStore login(Provider provider, HsmConfig config) {
        char[] pin = PinSource.read(config.pinFile(), config.pinEnv());
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
            return keyStore;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String code = HsmException.findReturnCode(e);
            throw new HsmException(HsmException.Kind.LOGIN, "login to the PKCS#11 token behind " + provider.getName()
                    + " failed: " + loginHint(code, config), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static String loginHint(String code, HsmConfig config) {
        String source = config.pinFile().map(f -> "the file " + f + " (keyfed.party.hsm.pin-file)")
                .orElse("the environment variable " + config.pinEnv());
        if (code == null) {
            return "no PKCS#11 return code; check the token and " + source;
        }
        switch (code) {
        case "CKR_PIN_INCORRECT":
            return code + ": the user PIN from " + source + " is wrong (repeated failures may lock the token)";
        case "CKR_PIN_LOCKED":
            return code + ": the user PIN is locked; the security officer must reset it";
        case "CKR_PIN_EXPIRED":
            return code + ": the user PIN has expired; set a new one with the token's tools";
        case "CKR_USER_PIN_NOT_INITIALIZED":
            return code + ": the token has no user PIN yet; initialise it (hsm-config/init-token.sh)";
        case "CKR_TOKEN_NOT_PRESENT":
        case "CKR_TOKEN_NOT_RECOGNIZED":
        case "CKR_DEVICE_REMOVED":
            return code + ": no usable token in the configured slot; check slotListIndex";
        default:
            return code;
        }
    }

    static void logout(Provider provider) {
        if (provider instanceof AuthProvider) {
            try {
                ((AuthProvider) provider).logout();
            } catch (LoginException | RuntimeException e) {
                LOG.debugf("logout from %s failed: %s", provider.getName(), HsmException.findReturnCode(e));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Start-up self-test
    // ---------------------------------------------------------------------------------------

    /** Runs every operation the party needs once in the token; a failure names the mechanism and its purpose. */
    static void selfTest(TokenSigning signing, TokenSealing sealing) {
        byte[] probe = "keyfed hsm self-test".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = probeStep("ECDSA signing with the secp256k1 identity key (CKM_ECDSA)",
                "sign protocol messages and responses", () -> signing.signIdentity(probe));
        if (!Secp256k1.verify(signing.identityPublicKey(), probe, sig)) {
            throw new HsmException(HsmException.Kind.OPERATION,
                    "the token's identity signature does not verify against its public key");
        }
        byte[] sealed = probeStep("AES-GCM sealing (CKM_AES_GCM)", "seal key shares", () -> sealing.seal(probe, probe));
        byte[] opened = probeStep("AES-GCM unsealing (CKM_AES_GCM)", "unseal key shares",
                () -> sealing.unseal(sealed, probe));
        if (!Arrays.equals(opened, probe)) {
            throw new HsmException(HsmException.Kind.OPERATION, "AES-GCM in the token did not round-trip");
        }
        if (signing.hasAgreementKey()) {
            byte[] k = probeStep("ECDH with the P-256 key-agreement key (CKM_ECDH1_DERIVE)",
                    "derive pairwise channel keys", () -> signing.ecdh(signing.agreementPublicKey(), probe));
            Arrays.fill(k, (byte) 0);
        }
    }

    private interface Step<T> {
        T run();
    }

    private static <T> T probeStep(String what, String purpose, Step<T> step) {
        try {
            return step.run();
        } catch (HsmException e) {
            throw new HsmException(HsmException.Kind.MECHANISM_MISSING,
                    "start-up self-test failed: " + what + " does not work in this token, so the party cannot "
                            + purpose + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations
    // ---------------------------------------------------------------------------------------

    /** One place for the lifecycle lock and the PKCS#11 error handling of every operation. */
    interface TokenCall<T> {
        T call() throws GeneralSecurityException;
    }

    /** See {@link HsmToken#onOperation(HsmOperation.Listener)}. */
    void onOperation(HsmOperation.Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    <T> T withToken(HsmOperation op, TokenCall<T> body) {
        String operation = op.description;
        long started = System.nanoTime();
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new HsmException(HsmException.Kind.CLOSED, operation + ": the HSM token facade is closed");
            }
            return body.call();
        } catch (HsmException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new HsmException(HsmException.Kind.OPERATION, operation + " failed in the PKCS#11 token: "
                    + HsmException.rootMessage(e), e);
        } finally {
            lifecycle.readLock().unlock();
            listener.completed(op, System.nanoTime() - started);
        }
    }

    /** Waits for running calls, then logs out; later calls fail. Idempotent. */
    void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                logout(provider);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "TokenSession[" + provider.getName() + "]";
    }
}
