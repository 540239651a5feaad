package io.keyfed.party.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.security.auth.login.LoginException;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.jboss.logging.Logger;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;

/**
 * The one facade over a KeyFed party's PKCS#11 token, through the JDK's SunPKCS11 provider.
 *
 * <p>{@link #open(HsmConfig)} configures a SunPKCS11 provider from the configured file, logs in
 * with the user PIN (environment variable or file; the char[] is wiped after login), checks
 * that the token offers the mechanisms the party needs, finds the party's keys by alias (or
 * creates them on first start), and runs a short self-test. The keys never leave the token:
 * <ul>
 * <li>identity key: secp256k1 key pair; {@link #signIdentity(byte[])} signs inside the token;</li>
 * <li>sealing key: AES-256; {@link #seal(byte[], byte[])} / {@link #unseal(byte[], byte[])} run
 * AES-GCM inside the token. It has generations ({@code <sealing-alias>}, then {@code <sealing-alias>-2},
 * {@code -3}, ...); the highest one in the token is current and seals, older ones still unseal the blobs
 * that name them ({@link #rotateSealingKey()}, {@link #retireSealingKey(String)},
 * {@link #sealingGenerations()});</li>
 * <li>key-agreement key (optional): P-256 key pair with CKA_DERIVE; {@link #ecdh(byte[], byte[])}
 * derives pairwise keys. Its certificate in the token is issued (signed) by the identity key.</li>
 * </ul>
 *
 * <p><b>Blocking.</b> Every method except the public-key getters calls into the PKCS#11 library
 * and blocks the calling thread (tens of microseconds to milliseconds with SoftHSM; possibly a
 * network round trip with a network HSM). Never call them on a Vert.x event loop or gRPC
 * I/O thread: use a worker thread ({@code @Blocking}, {@code Uni.emitOn(Infrastructure.getDefaultWorkerPool())}
 * or an executor).
 *
 * <p><b>Threads.</b> The facade is thread-safe: a fresh JCA engine ({@link Signature},
 * {@link Cipher}, {@link KeyAgreement}) is created per call and the provider's session pool
 * serialises access to PKCS#11 sessions. {@link #close()} waits for running calls.
 *
 * <p><b>One facade per token per JVM.</b> PKCS#11 login state belongs to the process: a second
 * provider opened on an already logged-in token is not asked for its PIN again, and closing
 * either logs both out.
 */
public final class HsmToken implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HsmToken.class);

    /** Version byte of the sealed format produced by {@link #seal(byte[], byte[])}. */
    public static final int SEAL_VERSION = 1;
    /** Size in bytes of the AES-GCM IV in a sealed blob. */
    public static final int IV_LENGTH = 12;
    /** Size in bytes of the AES-GCM tag at the end of a sealed blob. */
    public static final int TAG_LENGTH = 16;

    private static final byte[] ECDH_SALT = "keyfed/hsm/ecdh/v1".getBytes(StandardCharsets.US_ASCII);
    private static final String IDENTITY_SUBJECT = "KeyFed party identity";
    private static final String AGREEMENT_SUBJECT = "KeyFed party key agreement";

    private final Provider provider;
    private final KeyStore keyStore;
    private final Object keyStoreLock = new Object();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final SecureRandom random;
    private boolean closed;

    private final String identityAlias;
    private final PrivateKey identityKey;
    private final byte[] identityPublicKey;

    /** The base sealing alias (generation 1); generation N >= 2 is {@code <base>-N}. */
    private final String sealingAlias;
    /** The current sealing generation: every new seal uses it. Replaced by {@link #rotateSealingKey()}. */
    private volatile SealingKey currentSealing;
    /** Serialises rotation and retirement of sealing keys. */
    private final Object sealingRotationLock = new Object();

    private final String agreementAlias;
    private final PrivateKey agreementKey;
    private final byte[] agreementPublicKey;
    private final X509Certificate agreementCertificate;

    private volatile List<KeyStatus> keyStatus;
    private volatile HsmOperation.Listener listener = (op, nanos) -> { };
    private final int sealingStatusIndex;

    private HsmToken(Provider provider, KeyStore keyStore, SecureRandom random, HsmConfig config, boolean create) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.random = random;
        List<KeyStatus> status = new ArrayList<>();

        identityAlias = config.identityAlias();
        identityKey = loadOrCreateKeyPair(identityAlias, "identity", EcKeys.SECP256K1, create, null);
        identityPublicKey = EcKeys.compressed(certificate(identityAlias, "identity").getPublicKey(), EcKeys.SECP256K1);
        status.add(checkProtected(identityAlias, "identity", identityKey));

        sealingAlias = config.sealingAlias();
        keyId(sealingAlias);
        int generation = highestSealingGeneration(keyStore, sealingAlias);
        String currentAlias = generation == 0 ? sealingAlias : sealingAlias(sealingAlias, generation);
        SecretKey sealingKey = loadOrCreateSealingKey(currentAlias, create);
        currentSealing = new SealingKey(currentAlias, generation == 0 ? 1 : generation, keyId(currentAlias),
                sealingKey);
        int sealingIndex = status.size();
        status.add(checkProtected(currentAlias, "sealing", sealingKey));

        if (config.agreementEnabled()) {
            agreementAlias = config.agreementAlias();
            agreementKey = loadOrCreateKeyPair(agreementAlias, "agreement", EcKeys.P256, create, identityKey);
            agreementCertificate = certificate(agreementAlias, "agreement");
            agreementPublicKey = EcKeys.compressed(agreementCertificate.getPublicKey(), EcKeys.P256);
            status.add(checkProtected(agreementAlias, "agreement", agreementKey));
        } else {
            agreementAlias = null;
            agreementKey = null;
            agreementCertificate = null;
            agreementPublicKey = null;
        }
        this.sealingStatusIndex = sealingIndex;
        keyStatus = List.copyOf(status);
    }

    /** One generation of the sealing key: alias (= key id in blobs), generation number, the key. */
    private record SealingKey(String alias, int generation, byte[] keyId, SecretKey key) {
        @Override
        public String toString() {
            return "sealing key '" + alias + "' (generation " + generation + ")";
        }
    }

    // ---------------------------------------------------------------------------------------
    // Opening
    // ---------------------------------------------------------------------------------------

    /**
     * Opens the token described by {@code config}; creates missing keys when
     * {@link HsmConfig#createMissingKeys()} is true. Blocking.
     *
     * @throws HsmException naming the problem (configuration, library, PIN, login, missing
     *         mechanism or key) and how to fix it
     */
    public static HsmToken open(HsmConfig config) {
        return open(config, config.createMissingKeys());
    }

    /**
     * Opens the token described by {@code config}; with {@code createMissingKeys} false a key
     * missing from the token is an error ({@link HsmException.Kind#KEY_MISSING}). Blocking.
     */
    public static HsmToken open(HsmConfig config, boolean createMissingKeys) {
        Objects.requireNonNull(config, "config");
        Provider provider = configure(Path.of(config.configFile()));
        requireMechanisms(provider, config.agreementEnabled(), createMissingKeys);
        KeyStore keyStore = login(provider, config);
        HsmToken token = null;
        try {
            token = new HsmToken(provider, keyStore, new SecureRandom(), config, createMissingKeys);
            token.selfTest();
            LOG.infof("HSM token open through %s: identity key '%s' %s, sealing key '%s'%s", provider.getName(),
                    token.identityAlias, hex(token.identityPublicKey), token.currentSealing.alias(),
                    token.agreementAlias == null ? "" : ", agreement key '" + token.agreementAlias + "'");
            return token;
        } catch (RuntimeException e) {
            logout(provider);
            if (e instanceof HsmException) {
                throw e;
            }
            throw new HsmException(HsmException.Kind.OPERATION,
                    "cannot open the party's keys in the PKCS#11 token: " + HsmException.rootMessage(e), e);
        }
    }

    /**
     * Inspects the token described by {@code config} without creating or changing anything: the
     * mechanisms the party needs (with what it cannot do without each), whether login works
     * (with the CKR_ code when not), and whether each of the party's keys is present and a
     * sensitive, non-extractable token object. Logs out afterwards. For {@code hsm-check}-style
     * tools; do not run it in a JVM where an {@link HsmToken} on the same token is open (the
     * logout is process-wide). Blocking.
     *
     * @throws HsmException when the configuration file or the library cannot be used, or no PIN
     *         is available
     */
    public static HsmReport inspect(HsmConfig config) {
        Objects.requireNonNull(config, "config");
        Provider provider = configure(Path.of(config.configFile()));
        List<HsmReport.Mechanism> mechanisms = new ArrayList<>();
        for (Need need : needs(config.agreementEnabled(), true)) {
            mechanisms.add(new HsmReport.Mechanism(need.mechanism, need.type + " " + need.algorithm,
                    provider.getService(need.type, need.algorithm) != null, need.consequence));
        }
        List<KeyStatus> keys = new ArrayList<>();
        String loginError = null;
        try {
            KeyStore keyStore = login(provider, config);
            keys.add(inspectKey(keyStore, config.identityAlias(), "identity"));
            int current = highestSealingGeneration(keyStore, config.sealingAlias());
            keys.add(inspectKey(keyStore, current <= 1 ? config.sealingAlias()
                    : sealingAlias(config.sealingAlias(), current), "sealing"));
            for (int g : sealingGenerations(keyStore, config.sealingAlias())) {
                if (g != current) {
                    // an older generation still in the token: a rotation has not retired it (yet)
                    keys.add(inspectKey(keyStore, sealingAlias(config.sealingAlias(), g), "sealing-old"));
                }
            }
            if (config.agreementEnabled()) {
                keys.add(inspectKey(keyStore, config.agreementAlias(), "agreement"));
            }
        } catch (HsmException e) {
            if (e.kind() != HsmException.Kind.LOGIN) {
                throw e;
            }
            loginError = e.getMessage();
        } finally {
            logout(provider);
        }
        return new HsmReport(provider.getName(), provider.getInfo(), mechanisms, loginError, keys);
    }

    private static KeyStatus inspectKey(KeyStore keyStore, String alias, String role) {
        try {
            Key key = keyStore.getKey(alias, null);
            return key == null ? KeyStatus.missing(alias, role) : KeyStatus.of(alias, role, key);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot read the " + role + " key '" + alias + "': "
                    + HsmException.rootMessage(e), e);
        }
    }

    private static Provider configure(Path configFile) {
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

    private static void requireMechanisms(Provider provider, boolean agreement, boolean create) {
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

    private static KeyStore login(Provider provider, HsmConfig config) {
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

    private static void logout(Provider provider) {
        if (provider instanceof AuthProvider) {
            try {
                ((AuthProvider) provider).logout();
            } catch (LoginException | RuntimeException e) {
                LOG.debugf("logout from %s failed: %s", provider.getName(), HsmException.findReturnCode(e));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Keys
    // ---------------------------------------------------------------------------------------

    private PrivateKey loadOrCreateKeyPair(String alias, String role, ASN1ObjectIdentifier curve, boolean create,
            PrivateKey issuerKey) {
        String what = role + " key '" + alias + "' (" + EcKeys.curveName(curve) + ")";
        try {
            Key key = keyStore.getKey(alias, null);
            if (key == null) {
                if (!create) {
                    throw new HsmException(HsmException.Kind.KEY_MISSING, "the " + what + " is not in the token behind "
                            + provider.getName() + "; start the party with keyfed.party.hsm.create-missing-keys=true"
                            + " to create it, or check the alias and slotListIndex");
                }
                createKeyPair(alias, role, curve, issuerKey);
                key = keyStore.getKey(alias, null);
                if (key == null) {
                    throw new HsmException(HsmException.Kind.OPERATION, "the " + what + " was created but the token's"
                            + " key store does not find it again");
                }
            }
            if (!(key instanceof PrivateKey) || !"EC".equals(key.getAlgorithm())) {
                throw new HsmException(HsmException.Kind.KEY_INVALID,
                        "alias '" + alias + "' in the token is not an EC private key; the " + role + " key must be one");
            }
            X509Certificate cert = certificate(alias, role);
            try {
                EcKeys.compressed(cert.getPublicKey(), curve);
            } catch (IllegalArgumentException e) {
                throw new HsmException(HsmException.Kind.KEY_INVALID,
                        "the " + role + " key '" + alias + "' in the token is not on " + EcKeys.curveName(curve));
            }
            return (PrivateKey) key;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot load or create the " + what + ": "
                    + HsmException.rootMessage(e), e);
        }
    }

    private void createKeyPair(String alias, String role, ASN1ObjectIdentifier curve, PrivateKey issuerKey)
            throws GeneralSecurityException {
        String curveName = EcKeys.jcaName(curve);
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec(curveName));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.MECHANISM_MISSING, "the token cannot generate an EC key pair on "
                    + EcKeys.curveName(curve) + " (CKM_EC_KEY_PAIR_GEN): " + HsmException.rootMessage(e)
                    + "; without it the party has no " + role + " key", e);
        }
        X509Certificate cert;
        if (issuerKey == null) {
            cert = TokenCertificates.issue(provider, IDENTITY_SUBJECT, pair.getPublic(), IDENTITY_SUBJECT,
                    pair.getPrivate(), random);
        } else {
            cert = TokenCertificates.issue(provider, AGREEMENT_SUBJECT, pair.getPublic(), IDENTITY_SUBJECT, issuerKey,
                    random);
        }
        synchronized (keyStoreLock) {
            keyStore.setKeyEntry(alias, pair.getPrivate(), null, new Certificate[] { cert });
        }
        LOG.infof("created the %s key '%s' (%s) in the token", role, alias, EcKeys.curveName(curve));
    }

    private X509Certificate certificate(String alias, String role) {
        try {
            Certificate cert = keyStore.getCertificate(alias);
            if (!(cert instanceof X509Certificate)) {
                throw new HsmException(HsmException.Kind.KEY_INVALID, "the " + role + " key '" + alias
                        + "' has no X.509 certificate in the token; the party needs it to read the public key");
            }
            return (X509Certificate) cert;
        } catch (GeneralSecurityException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot read the certificate of '" + alias + "': "
                    + HsmException.rootMessage(e), e);
        }
    }

    private SecretKey loadOrCreateSealingKey(String alias, boolean create) {
        try {
            Key key = keyStore.getKey(alias, null);
            if (key == null) {
                if (!create) {
                    throw new HsmException(HsmException.Kind.KEY_MISSING, "the sealing key '" + alias
                            + "' (AES-256) is not in the token behind " + provider.getName()
                            + "; start the party with keyfed.party.hsm.create-missing-keys=true to create it,"
                            + " or check the alias and slotListIndex");
                }
                SecretKey generated;
                try {
                    KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
                    generator.init(256);
                    generated = generator.generateKey();
                } catch (GeneralSecurityException | ProviderException e) {
                    throw new HsmException(HsmException.Kind.MECHANISM_MISSING,
                            "the token cannot generate an AES-256 key (CKM_AES_KEY_GEN): "
                                    + HsmException.rootMessage(e) + "; without it the party cannot seal shares",
                            e);
                }
                synchronized (keyStoreLock) {
                    keyStore.setEntry(alias, new KeyStore.SecretKeyEntry(generated), null);
                }
                LOG.infof("created the sealing key '%s' (AES-256) in the token", alias);
                key = keyStore.getKey(alias, null);
            }
            return checkSealingKey(alias, key);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot load or create the sealing key '" + alias + "': "
                    + HsmException.rootMessage(e), e);
        }
    }

    private static SecretKey checkSealingKey(String alias, Key key) {
        if (!(key instanceof SecretKey) || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw new HsmException(HsmException.Kind.KEY_INVALID,
                    "alias '" + alias + "' in the token is not an AES secret key");
        }
        KeyStatus s = KeyStatus.of(alias, "sealing", key);
        if (s.known() && s.bits() != 0 && s.bits() != 256) {
            throw new HsmException(HsmException.Kind.KEY_INVALID,
                    "the sealing key '" + alias + "' has " + s.bits() + " bits; it must be AES-256");
        }
        return (SecretKey) key;
    }

    private static KeyStatus checkProtected(String alias, String role, Key key) {
        KeyStatus s = KeyStatus.of(alias, role, key);
        if (!s.known()) {
            LOG.warnf("cannot tell whether the %s key '%s' is sensitive and non-extractable", role, alias);
        } else if (!s.tokenObject() || !s.sensitive() || s.extractable()) {
            throw new HsmException(HsmException.Kind.KEY_INVALID, "refusing to use " + s
                    + ": party keys must be sensitive, non-extractable token objects. It was probably created without"
                    + " the attributes blocks of hsm-config/sunpkcs11.cfg.template; delete it and restart");
        }
        return s;
    }

    private static byte[] keyId(String alias) {
        byte[] id = alias.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new HsmException(HsmException.Kind.CONFIG, "the sealing alias must be 1 to 255 bytes of UTF-8");
        }
        return id;
    }

    private void selfTest() {
        byte[] probe = "keyfed hsm self-test".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = probeStep("ECDSA signing with the secp256k1 identity key (CKM_ECDSA)",
                "sign protocol messages and responses", () -> signIdentity(probe));
        if (!Secp256k1.verify(identityPublicKey, probe, sig)) {
            throw new HsmException(HsmException.Kind.OPERATION,
                    "the token's identity signature does not verify against its public key");
        }
        byte[] sealed = probeStep("AES-GCM sealing (CKM_AES_GCM)", "seal key shares", () -> seal(probe, probe));
        byte[] opened = probeStep("AES-GCM unsealing (CKM_AES_GCM)", "unseal key shares", () -> unseal(sealed, probe));
        if (!Arrays.equals(opened, probe)) {
            throw new HsmException(HsmException.Kind.OPERATION, "AES-GCM in the token did not round-trip");
        }
        if (agreementKey != null) {
            byte[] k = probeStep("ECDH with the P-256 key-agreement key (CKM_ECDH1_DERIVE)",
                    "derive pairwise channel keys", () -> ecdh(agreementPublicKey, probe));
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
    private interface TokenCall<T> {
        T call() throws GeneralSecurityException;
    }

    /**
     * Tells {@code listener} the duration of every later token call (the party's metrics). One listener; a
     * second call replaces the first.
     */
    public void onOperation(HsmOperation.Listener listener) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
    }

    private <T> T withToken(HsmOperation op, TokenCall<T> body) {
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

    /** The identity key's public key: 33-byte compressed secp256k1 point (what the keyring registers). */
    public byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    /**
     * Signs {@code message} with the identity key inside the token: ECDSA over SHA-256(message)
     * (the hash is computed here, the signature in the token). Returns 64 bytes R||S with low S,
     * verifiable with {@link Secp256k1#verify(byte[], byte[], byte[])}. Blocking.
     */
    public byte[] signIdentity(byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] digest = Hashes.sha256(message);
        return withToken(HsmOperation.SIGN, () -> {
            Signature signer = Signature.getInstance("NONEwithECDSA", provider);
            signer.initSign(identityKey);
            signer.update(digest);
            return Secp256k1.derToCompactLowS(signer.sign());
        });
    }

    /**
     * The key id written into sealed blobs by {@link #seal(byte[], byte[])}: the alias of the current
     * sealing generation ({@code <sealing-alias>} for generation 1, {@code <sealing-alias>-N} after rotations).
     */
    public String sealingKeyId() {
        return currentSealing.alias();
    }

    /**
     * The key id named in a sealed blob's header (the alias of the key it was sealed under), or empty
     * when the bytes are not a sealed blob of this format. Reads no secret and does not touch the token.
     */
    public static java.util.Optional<String> sealedKeyId(byte[] sealed) {
        if (sealed == null || sealed.length < 2 || (sealed[0] & 0xff) != SEAL_VERSION) {
            return java.util.Optional.empty();
        }
        int idLength = sealed[1] & 0xff;
        if (idLength == 0 || sealed.length < 2 + idLength + IV_LENGTH + TAG_LENGTH) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new String(sealed, 2, idLength, StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------------------------------
    // Sealing-key generations (rotation)
    // ---------------------------------------------------------------------------------------

    /** A generation of the sealing key in the token. Holds no key material. */
    public record SealingGeneration(String keyId, int generation, boolean current) {
    }

    /** The alias of sealing generation {@code generation} (>= 1) of {@code base}. */
    public static String sealingAlias(String base, int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("sealing generations start at 1");
        }
        return generation == 1 ? base : base + "-" + generation;
    }

    /** The generation an alias names for {@code base}: 1 for base, N for base-N (N >= 2), 0 otherwise. */
    static int sealingGeneration(String base, String alias) {
        if (alias.equals(base)) {
            return 1;
        }
        if (!alias.startsWith(base + "-")) {
            return 0;
        }
        String n = alias.substring(base.length() + 1);
        if (n.isEmpty() || n.length() > 9 || n.charAt(0) == '0' || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        int g = Integer.parseInt(n);
        return g >= 2 ? g : 0;
    }

    /** Generations of {@code base} that are AES secret keys in the token, ascending. */
    private static List<Integer> sealingGenerations(KeyStore keyStore, String base) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String alias : java.util.Collections.list(keyStore.aliases())) {
                int g = sealingGeneration(base, alias);
                if (g > 0 && keyStore.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                    out.add(g);
                }
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot list the sealing keys in the token: "
                    + HsmException.rootMessage(e), e);
        }
        out.sort(null);
        return out;
    }

    /** The highest existing generation of {@code base} (the current one), or 0 when none exists. */
    private static int highestSealingGeneration(KeyStore keyStore, String base) {
        List<Integer> g = sealingGenerations(keyStore, base);
        return g.isEmpty() ? 0 : g.get(g.size() - 1);
    }

    /**
     * The sealing-key generations in the token, ascending; exactly one is current (the highest).
     * More than one means a rotation has not retired the older ones yet. Blocking.
     */
    public List<SealingGeneration> sealingGenerations() {
        return withToken(HsmOperation.LIST_KEYS, () -> {
            SealingKey current = currentSealing;
            List<Integer> gens;
            synchronized (keyStoreLock) {
                gens = sealingGenerations(keyStore, sealingAlias);
            }
            List<SealingGeneration> out = new ArrayList<>();
            for (int g : gens) {
                out.add(new SealingGeneration(sealingAlias(sealingAlias, g), g, g == current.generation()));
            }
            return List.copyOf(out);
        });
    }

    /**
     * Creates the next sealing generation ({@code <sealing-alias>-N}, N = highest existing + 1) in the
     * token, the same way as the first one (AES-256 generated in the token, stored as a sensitive,
     * non-extractable token object through the SunPKCS11 templates), checks it, and makes it current:
     * every seal from now on uses it. Older generations stay in the token (they still open their blobs)
     * until {@link #retireSealingKey(String)}. Returns the new key id. Blocking, thread-safe.
     */
    public String rotateSealingKey() {
        return withToken(HsmOperation.ROTATE_KEY, () -> {
            synchronized (sealingRotationLock) {
                int next;
                synchronized (keyStoreLock) {
                    next = Math.max(highestSealingGeneration(keyStore, sealingAlias), currentSealing.generation()) + 1;
                }
                String alias = sealingAlias(sealingAlias, next);
                byte[] id = keyId(alias);
                SecretKey key = loadOrCreateSealingKey(alias, true);
                KeyStatus status = checkProtected(alias, "sealing", key);
                SealingKey previous = currentSealing;
                currentSealing = new SealingKey(alias, next, id, key);
                List<KeyStatus> s = new ArrayList<>(keyStatus);
                s.set(sealingStatusIndex, status);
                keyStatus = List.copyOf(s);
                LOG.infof("sealing key rotated: '%s' (generation %d) is current; '%s' stays until it is retired",
                        alias, next, previous.alias());
                return alias;
            }
        });
    }

    /**
     * Deletes an older sealing generation from the token: blobs sealed under it no longer open. Refuses
     * the current generation and any alias that is not a sealing generation of this party. Returns
     * false when that generation is not in the token (already retired). Blocking, thread-safe.
     *
     * @throws HsmException of kind {@link HsmException.Kind#KEY_INVALID} for the current key or a
     *         non-sealing alias
     */
    public boolean retireSealingKey(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (sealingGeneration(sealingAlias, keyId) == 0) {
            throw new HsmException(HsmException.Kind.KEY_INVALID,
                    "'" + keyId + "' is not a sealing key of this party; only sealing generations can be retired");
        }
        return withToken(HsmOperation.RETIRE_KEY, () -> {
            synchronized (sealingRotationLock) {
                if (keyId.equals(currentSealing.alias())) {
                    throw new HsmException(HsmException.Kind.KEY_INVALID, "refusing to retire '" + keyId
                            + "': it is the current sealing key");
                }
                synchronized (keyStoreLock) {
                    if (!keyStore.containsAlias(keyId)) {
                        return false;
                    }
                    if (!keyStore.entryInstanceOf(keyId, KeyStore.SecretKeyEntry.class)) {
                        throw new HsmException(HsmException.Kind.KEY_INVALID,
                                "'" + keyId + "' in the token is not a secret key; not deleting it");
                    }
                    keyStore.deleteEntry(keyId);
                }
                LOG.infof("sealing key '%s' retired (deleted from the token)", keyId);
                return true;
            }
        });
    }

    /**
     * Seals {@code plaintext} with AES-256-GCM inside the token, a fresh random 12-byte IV per
     * call. The associated data {@code aad} (may be empty) must be given again to unseal; bind
     * it to what the plaintext is (key id, party, key type). Blocking.
     *
     * <p>Format: {@code version(1)=1 || keyIdLength(1) || keyId (UTF-8 alias) || IV(12) ||
     * ciphertext || tag(16)}; the bytes before the IV are authenticated along with {@code aad}.
     * The key id lets a later sealing key (rotation) coexist with the old one.
     */
    public byte[] seal(byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] associated = aad == null ? new byte[0] : aad;
        return withToken(HsmOperation.SEAL, () -> {
            SealingKey sealing = currentSealing;
            byte[] header = header(sealing.keyId());
            byte[] iv = new byte[IV_LENGTH];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.ENCRYPT_MODE, sealing.key(), new GCMParameterSpec(TAG_LENGTH * 8, iv));
            cipher.updateAAD(concat(header, associated));
            byte[] body = cipher.doFinal(plaintext);
            byte[] out = new byte[header.length + IV_LENGTH + body.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(iv, 0, out, header.length, IV_LENGTH);
            System.arraycopy(body, 0, out, header.length + IV_LENGTH, body.length);
            return out;
        });
    }

    /**
     * Opens a blob made by {@link #seal(byte[], byte[])} with the same {@code aad}, inside the
     * token. The sealing key is found by the key id in the blob (the current one, or an older
     * key still in the token). The caller owns the returned plaintext and should wipe it.
     * Blocking.
     *
     * @throws HsmException of kind {@link HsmException.Kind#UNSEAL_FAILED} when the blob is
     *         malformed, was tampered with, or {@code aad} differs
     */
    public byte[] unseal(byte[] sealed, byte[] aad) {
        Objects.requireNonNull(sealed, "sealed");
        byte[] associated = aad == null ? new byte[0] : aad;
        if (sealed.length < 2 || (sealed[0] & 0xff) != SEAL_VERSION) {
            throw new HsmException(HsmException.Kind.UNSEAL_FAILED,
                    "sealed data has an unknown format (expected version " + SEAL_VERSION + ")");
        }
        int idLength = sealed[1] & 0xff;
        int headerLength = 2 + idLength;
        if (idLength == 0 || sealed.length < headerLength + IV_LENGTH + TAG_LENGTH) {
            throw new HsmException(HsmException.Kind.UNSEAL_FAILED, "sealed data is truncated");
        }
        byte[] header = Arrays.copyOfRange(sealed, 0, headerLength);
        byte[] keyId = Arrays.copyOfRange(sealed, 2, headerLength);
        return withToken(HsmOperation.UNSEAL, () -> {
            SealingKey current = currentSealing;
            SecretKey key = Arrays.equals(keyId, current.keyId()) ? current.key() : olderSealingKey(keyId);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_LENGTH * 8, sealed, headerLength, IV_LENGTH));
            cipher.updateAAD(concat(header, associated));
            try {
                return cipher.doFinal(sealed, headerLength + IV_LENGTH, sealed.length - headerLength - IV_LENGTH);
            } catch (GeneralSecurityException | ProviderException e) {
                throw new HsmException(HsmException.Kind.UNSEAL_FAILED, "sealed data failed authentication"
                        + " (tampered, different associated data, or a different key)", e);
            }
        });
    }

    private SecretKey olderSealingKey(byte[] keyId) throws GeneralSecurityException {
        String alias = new String(keyId, StandardCharsets.UTF_8);
        if (sealingGeneration(sealingAlias, alias) == 0) {
            throw new HsmException(HsmException.Kind.UNSEAL_FAILED,
                    "sealed under key '" + alias + "', which is not a sealing key of this party");
        }
        Key key;
        synchronized (keyStoreLock) {
            key = keyStore.getKey(alias, null);
        }
        if (key == null) {
            throw new HsmException(HsmException.Kind.UNSEAL_FAILED,
                    "sealed under key '" + alias + "', which is not in the token");
        }
        return checkSealingKey(alias, key);
    }

    /** Whether the token holds the key-agreement key ({@code agreement-enabled}). */
    public boolean hasAgreementKey() {
        return agreementKey != null;
    }

    /** The key-agreement public key: 33-byte compressed P-256 point. */
    public byte[] agreementPublicKey() {
        requireAgreement();
        return agreementPublicKey.clone();
    }

    /**
     * The key-agreement key's certificate (DER), issued by the identity key: it binds the P-256
     * key to the registered identity (ecdsa-with-SHA256 over the TBSCertificate, signed in the
     * token; the signature is DER and not necessarily low-S).
     */
    public byte[] agreementCertificate() {
        requireAgreement();
        try {
            return agreementCertificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot encode the agreement certificate", e);
        }
    }

    /** {@link #ecdh(byte[], byte[])} with empty HKDF info. Blocking. */
    public byte[] ecdh(byte[] peerPublicKey) {
        return ecdh(peerPublicKey, null);
    }

    /**
     * Static ECDH between the token's P-256 key-agreement key and {@code peerPublicKey} (33-byte
     * compressed or 65-byte uncompressed P-256 point, validated), computed in the token; the
     * 32-byte shared x-coordinate is fed to HKDF-SHA256 (salt "keyfed/hsm/ecdh/v1", the given
     * {@code info}) and wiped. Returns 32 bytes of key material; both parties get the same bytes
     * for the same {@code info}. Put the session, both parties' identities and the purpose into
     * {@code info}. The caller owns the result and should wipe it. Blocking.
     *
     * @throws IllegalArgumentException if the peer key is not a valid P-256 point
     */
    public byte[] ecdh(byte[] peerPublicKey, byte[] info) {
        requireAgreement();
        java.security.interfaces.ECPublicKey peer = EcKeys.toJca(EcKeys.decode(peerPublicKey, EcKeys.P256), EcKeys.P256);
        byte[] hkdfInfo = info == null ? new byte[0] : info.clone();
        return withToken(HsmOperation.ECDH, () -> {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH", provider);
            agreement.init(agreementKey);
            agreement.doPhase(peer, true);
            byte[] z = agreement.generateSecret();
            try {
                HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
                hkdf.init(new HKDFParameters(z, ECDH_SALT, hkdfInfo));
                byte[] out = new byte[32];
                hkdf.generateBytes(out, 0, out.length);
                return out;
            } finally {
                Arrays.fill(z, (byte) 0);
            }
        });
    }

    private void requireAgreement() {
        if (agreementKey == null) {
            throw new IllegalStateException("the key-agreement key is disabled (keyfed.party.hsm.agreement-enabled=false)");
        }
    }

    /** How the token reports the party's keys (present, token object, sensitive, extractable). */
    public List<KeyStatus> keyStatus() {
        return keyStatus;
    }

    /** Name of the SunPKCS11 provider instance (e.g. {@code SunPKCS11-keyfed-party-1}). */
    public String providerName() {
        return provider.getName();
    }

    /** Logs out of the token; later calls fail with {@link HsmException.Kind#CLOSED}. Idempotent. */
    @Override
    public void close() {
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

    // ---------------------------------------------------------------------------------------

    private static byte[] header(byte[] keyId) {
        byte[] h = new byte[2 + keyId.length];
        h[0] = (byte) SEAL_VERSION;
        h[1] = (byte) keyId.length;
        System.arraycopy(keyId, 0, h, 2, keyId.length);
        return h;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HsmToken[" + provider.getName() + "]";
    }
}
