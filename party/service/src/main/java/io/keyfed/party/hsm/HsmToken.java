package io.keyfed.party.hsm;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

import org.jboss.logging.Logger;

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
 *
 * <p><b>Structure.</b> This class composes package-private parts, each with one job:
 * {@link TokenSession} (SunPKCS11 configuration, mechanism probes, login with a wiped char[] PIN, the
 * start-up self-test, and the lifecycle lock, timing and PKCS#11 error handling around every call),
 * {@link TokenKeys} (finding, creating, checking and listing the keys), {@link TokenSealing} (seal/unseal
 * and the sealing-key generations) and {@link TokenSigning} (identity signatures and ECDH). No part puts a
 * secret into a log line, an exception or a {@code toString()}.
 */
public final class HsmToken implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HsmToken.class);

    /** Version byte of the sealed format produced by {@link #seal(byte[], byte[])}. */
    public static final int SEAL_VERSION = 1;
    /** Size in bytes of the AES-GCM IV in a sealed blob. */
    public static final int IV_LENGTH = 12;
    /** Size in bytes of the AES-GCM tag at the end of a sealed blob. */
    public static final int TAG_LENGTH = 16;

    private final TokenSession session;
    private final TokenSealing sealing;
    private final TokenSigning signing;
    private final String identityAlias;
    private final String agreementAlias;

    private volatile List<KeyStatus> keyStatus;
    private final int sealingStatusIndex;

    private HsmToken(TokenSession session, HsmConfig config, boolean create) {
        this.session = session;
        TokenKeys keys = new TokenKeys(session);
        List<KeyStatus> status = new ArrayList<>();

        identityAlias = config.identityAlias();
        PrivateKey identityKey = keys.loadOrCreateKeyPair(identityAlias, "identity", EcKeys.SECP256K1, create, null);
        byte[] identityPublicKey = EcKeys.compressed(keys.certificate(identityAlias, "identity").getPublicKey(),
                EcKeys.SECP256K1);
        status.add(TokenKeys.checkProtected(identityAlias, "identity", identityKey));

        sealing = new TokenSealing(session, keys, config.sealingAlias(), create);
        int sealingIndex = status.size();
        status.add(sealing.openedStatus());

        PrivateKey agreementKey;
        byte[] agreementPublicKey;
        X509Certificate agreementCertificate;
        if (config.agreementEnabled()) {
            agreementAlias = config.agreementAlias();
            agreementKey = keys.loadOrCreateKeyPair(agreementAlias, "agreement", EcKeys.P256, create, identityKey);
            agreementCertificate = keys.certificate(agreementAlias, "agreement");
            agreementPublicKey = EcKeys.compressed(agreementCertificate.getPublicKey(), EcKeys.P256);
            status.add(TokenKeys.checkProtected(agreementAlias, "agreement", agreementKey));
        } else {
            agreementAlias = null;
            agreementKey = null;
            agreementCertificate = null;
            agreementPublicKey = null;
        }
        signing = new TokenSigning(session, identityKey, identityPublicKey, agreementKey, agreementPublicKey,
                agreementCertificate);
        this.sealingStatusIndex = sealingIndex;
        keyStatus = List.copyOf(status);
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
        Provider provider = TokenSession.configure(Path.of(config.configFile()));
        TokenSession.requireMechanisms(provider, config.agreementEnabled(), createMissingKeys);
        KeyStore keyStore = TokenSession.login(provider, config);
        HsmToken token = null;
        try {
            token = new HsmToken(new TokenSession(provider, keyStore, new SecureRandom()), config, createMissingKeys);
            TokenSession.selfTest(token.signing, token.sealing);
            LOG.infof("HSM token open through %s: identity key '%s' %s, sealing key '%s'%s", provider.getName(),
                    token.identityAlias, hex(token.signing.identityPublicKey()), token.sealing.sealingKeyId(),
                    token.agreementAlias == null ? "" : ", agreement key '" + token.agreementAlias + "'");
            return token;
        } catch (RuntimeException e) {
            TokenSession.logout(provider);
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
        Provider provider = TokenSession.configure(Path.of(config.configFile()));
        List<HsmReport.Mechanism> mechanisms = TokenSession.mechanisms(provider, config.agreementEnabled(), true);
        List<KeyStatus> keys = new ArrayList<>();
        String loginError = null;
        try {
            KeyStore keyStore = TokenSession.login(provider, config);
            keys.add(TokenKeys.inspectKey(keyStore, config.identityAlias(), "identity"));
            int current = TokenKeys.highestSealingGeneration(keyStore, config.sealingAlias());
            keys.add(TokenKeys.inspectKey(keyStore, current <= 1 ? config.sealingAlias()
                    : sealingAlias(config.sealingAlias(), current), "sealing"));
            for (int g : TokenKeys.sealingGenerations(keyStore, config.sealingAlias())) {
                if (g != current) {
                    // an older generation still in the token: a rotation has not retired it (yet)
                    keys.add(TokenKeys.inspectKey(keyStore, sealingAlias(config.sealingAlias(), g), "sealing-old"));
                }
            }
            if (config.agreementEnabled()) {
                keys.add(TokenKeys.inspectKey(keyStore, config.agreementAlias(), "agreement"));
            }
        } catch (HsmException e) {
            if (e.kind() != HsmException.Kind.LOGIN) {
                throw e;
            }
            loginError = e.getMessage();
        } finally {
            TokenSession.logout(provider);
        }
        return new HsmReport(provider.getName(), provider.getInfo(), mechanisms, loginError, keys);
    }

    // ---------------------------------------------------------------------------------------
    // Operations
    // ---------------------------------------------------------------------------------------

    /**
     * Tells {@code listener} the duration of every later token call (the party's metrics). One listener; a
     * second call replaces the first.
     */
    public void onOperation(HsmOperation.Listener listener) {
        session.onOperation(listener);
    }

    /** The identity key's public key: 33-byte compressed secp256k1 point (what the keyring registers). */
    public byte[] identityPublicKey() {
        return signing.identityPublicKey();
    }

    /**
     * Signs {@code message} with the identity key inside the token: ECDSA over SHA-256(message)
     * (the hash is computed here, the signature in the token). Returns 64 bytes R||S with low S,
     * verifiable with {@link Secp256k1#verify(byte[], byte[], byte[])}. Blocking.
     */
    public byte[] signIdentity(byte[] message) {
        return signing.signIdentity(message);
    }

    /**
     * The key id written into sealed blobs by {@link #seal(byte[], byte[])}: the alias of the current
     * sealing generation ({@code <sealing-alias>} for generation 1, {@code <sealing-alias>-N} after rotations).
     */
    public String sealingKeyId() {
        return sealing.sealingKeyId();
    }

    /**
     * The key id named in a sealed blob's header (the alias of the key it was sealed under), or empty
     * when the bytes are not a sealed blob of this format. Reads no secret and does not touch the token.
     */
    public static java.util.Optional<String> sealedKeyId(byte[] sealed) {
        return TokenSealing.sealedKeyId(sealed);
    }

    // ---------------------------------------------------------------------------------------
    // Sealing-key generations (rotation)
    // ---------------------------------------------------------------------------------------

    /** A generation of the sealing key in the token. Holds no key material. */
    public record SealingGeneration(String keyId, int generation, boolean current) {
    }

    /** The alias of sealing generation {@code generation} (>= 1) of {@code base}. */
    public static String sealingAlias(String base, int generation) {
        return TokenKeys.sealingAlias(base, generation);
    }

    /** The generation an alias names for {@code base}: 1 for base, N for base-N (N >= 2), 0 otherwise. */
    static int sealingGeneration(String base, String alias) {
        return TokenKeys.sealingGeneration(base, alias);
    }

    /**
     * The sealing-key generations in the token, ascending; exactly one is current (the highest).
     * More than one means a rotation has not retired the older ones yet. Blocking.
     */
    public List<SealingGeneration> sealingGenerations() {
        return sealing.generations();
    }

    /**
     * Creates the next sealing generation ({@code <sealing-alias>-N}, N = highest existing + 1) in the
     * token, the same way as the first one (AES-256 generated in the token, stored as a sensitive,
     * non-extractable token object through the SunPKCS11 templates), checks it, and makes it current:
     * every seal from now on uses it. Older generations stay in the token (they still open their blobs)
     * until {@link #retireSealingKey(String)}. Returns the new key id. Blocking, thread-safe.
     */
    public String rotateSealingKey() {
        return sealing.rotate(status -> {
            List<KeyStatus> s = new ArrayList<>(keyStatus);
            s.set(sealingStatusIndex, status);
            keyStatus = List.copyOf(s);
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
        return sealing.retire(keyId);
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
        return sealing.seal(plaintext, aad);
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
        return sealing.unseal(sealed, aad);
    }

    /** Whether the token holds the key-agreement key ({@code agreement-enabled}). */
    public boolean hasAgreementKey() {
        return signing.hasAgreementKey();
    }

    /** The key-agreement public key: 33-byte compressed P-256 point. */
    public byte[] agreementPublicKey() {
        return signing.agreementPublicKey();
    }

    /**
     * The key-agreement key's certificate (DER), issued by the identity key: it binds the P-256
     * key to the registered identity (ecdsa-with-SHA256 over the TBSCertificate, signed in the
     * token; the signature is DER and not necessarily low-S).
     */
    public byte[] agreementCertificate() {
        return signing.agreementCertificate();
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
        return signing.ecdh(peerPublicKey, info);
    }

    /** How the token reports the party's keys (present, token object, sensitive, extractable). */
    public List<KeyStatus> keyStatus() {
        return keyStatus;
    }

    /** Name of the SunPKCS11 provider instance (e.g. {@code SunPKCS11-keyfed-party-1}). */
    public String providerName() {
        return session.provider().getName();
    }

    /** Logs out of the token; later calls fail with {@link HsmException.Kind#CLOSED}. Idempotent. */
    @Override
    public void close() {
        session.close();
    }

    // ---------------------------------------------------------------------------------------

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "HsmToken[" + session.provider().getName() + "]";
    }
}
