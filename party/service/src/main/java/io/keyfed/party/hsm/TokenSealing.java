package io.keyfed.party.hsm;

import static io.keyfed.party.hsm.HsmToken.IV_LENGTH;
import static io.keyfed.party.hsm.HsmToken.SEAL_VERSION;
import static io.keyfed.party.hsm.HsmToken.TAG_LENGTH;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.jboss.logging.Logger;

/**
 * Sealing behind {@link HsmToken}: AES-256-GCM seal and unseal inside the token with the sealing key, and
 * the sealing key's generations — the current one (the highest in the token) seals, older ones still
 * unseal the blobs that name them until they are retired; rotation adds the next generation.
 *
 * <p>Invariants: the AES keys are token handles and never leave the token; plaintexts and key bytes never
 * appear in logs, exceptions or {@link #toString()} (errors name key ids only). A fresh {@link Cipher} per
 * call and a fresh random IV per seal. Rotation and retirement are serialised; every token call goes
 * through {@link TokenSession#withToken} and blocks (off the Vert.x event loop). Logs under
 * {@link HsmToken}'s category.
 */
final class TokenSealing {
    private static final Logger LOG = Logger.getLogger(HsmToken.class);

    /** One generation of the sealing key: alias (= key id in blobs), generation number, the key. */
    private record SealingKey(String alias, int generation, byte[] keyId, SecretKey key) {
        @Override
        public String toString() {
            return "sealing key '" + alias + "' (generation " + generation + ")";
        }
    }

    private final TokenSession session;
    private final TokenKeys keys;
    private final Provider provider;
    private final KeyStore keyStore;
    private final Object keyStoreLock;
    private final SecureRandom random;

    /** The base sealing alias (generation 1); generation N >= 2 is {@code <base>-N}. */
    private final String sealingAlias;
    /** The current sealing generation: every new seal uses it. Replaced by {@link #rotate(Consumer)}. */
    private volatile SealingKey currentSealing;
    /** Serialises rotation and retirement of sealing keys. */
    private final Object sealingRotationLock = new Object();
    /** Status of the sealing key current when the token was opened. */
    private final KeyStatus openedStatus;

    /** Finds the current sealing generation of {@code sealingAlias} (creating generation 1 if allowed) and checks it. */
    TokenSealing(TokenSession session, TokenKeys keys, String sealingAlias, boolean create) {
        this.session = session;
        this.keys = keys;
        this.provider = session.provider();
        this.keyStore = session.keyStore();
        this.keyStoreLock = session.keyStoreLock();
        this.random = session.random();
        this.sealingAlias = sealingAlias;
        TokenKeys.keyId(sealingAlias);
        int generation = TokenKeys.highestSealingGeneration(keyStore, sealingAlias);
        String currentAlias = generation == 0 ? sealingAlias : TokenKeys.sealingAlias(sealingAlias, generation);
        SecretKey sealingKey = keys.loadOrCreateSealingKey(currentAlias, create);
        currentSealing = new SealingKey(currentAlias, generation == 0 ? 1 : generation, TokenKeys.keyId(currentAlias),
                sealingKey);
        openedStatus = TokenKeys.checkProtected(currentAlias, "sealing", sealingKey);
    }

    KeyStatus openedStatus() {
        return openedStatus;
    }

    /** See {@link HsmToken#sealingKeyId()}. */
    String sealingKeyId() {
        return currentSealing.alias();
    }

    /** See {@link HsmToken#sealedKeyId(byte[])}. */
    static java.util.Optional<String> sealedKeyId(byte[] sealed) {
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
    // Generations (rotation)
    // ---------------------------------------------------------------------------------------

    /** See {@link HsmToken#sealingGenerations()}. */
    List<HsmToken.SealingGeneration> generations() {
        return session.withToken(HsmOperation.LIST_KEYS, () -> {
            SealingKey current = currentSealing;
            List<Integer> gens;
            synchronized (keyStoreLock) {
                gens = TokenKeys.sealingGenerations(keyStore, sealingAlias);
            }
            List<HsmToken.SealingGeneration> out = new ArrayList<>();
            for (int g : gens) {
                out.add(new HsmToken.SealingGeneration(TokenKeys.sealingAlias(sealingAlias, g), g,
                        g == current.generation()));
            }
            return List.copyOf(out);
        });
    }

    /**
     * See {@link HsmToken#rotateSealingKey()}; {@code currentStatus} is told the new key's status right after
     * it became current, under the rotation lock.
     */
    String rotate(Consumer<KeyStatus> currentStatus) {
        return session.withToken(HsmOperation.ROTATE_KEY, () -> {
            synchronized (sealingRotationLock) {
                int next;
                synchronized (keyStoreLock) {
                    next = Math.max(TokenKeys.highestSealingGeneration(keyStore, sealingAlias),
                            currentSealing.generation()) + 1;
                }
                String alias = TokenKeys.sealingAlias(sealingAlias, next);
                byte[] id = TokenKeys.keyId(alias);
                SecretKey key = keys.loadOrCreateSealingKey(alias, true);
                KeyStatus status = TokenKeys.checkProtected(alias, "sealing", key);
                SealingKey previous = currentSealing;
                currentSealing = new SealingKey(alias, next, id, key);
                currentStatus.accept(status);
                LOG.infof("sealing key rotated: '%s' (generation %d) is current; '%s' stays until it is retired",
                        alias, next, previous.alias());
                return alias;
            }
        });
    }

    /** See {@link HsmToken#retireSealingKey(String)}. */
    boolean retire(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (TokenKeys.sealingGeneration(sealingAlias, keyId) == 0) {
            throw new HsmException(HsmException.Kind.KEY_INVALID,
                    "'" + keyId + "' is not a sealing key of this party; only sealing generations can be retired");
        }
        return session.withToken(HsmOperation.RETIRE_KEY, () -> {
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

    // ---------------------------------------------------------------------------------------
    // Seal and unseal
    // ---------------------------------------------------------------------------------------

    /** See {@link HsmToken#seal(byte[], byte[])} (the sealed format is described there). */
    byte[] seal(byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] associated = aad == null ? new byte[0] : aad;
        return session.withToken(HsmOperation.SEAL, () -> {
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

    /** See {@link HsmToken#unseal(byte[], byte[])}. */
    byte[] unseal(byte[] sealed, byte[] aad) {
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
        return session.withToken(HsmOperation.UNSEAL, () -> {
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
        if (TokenKeys.sealingGeneration(sealingAlias, alias) == 0) {
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
        return TokenKeys.checkSealingKey(alias, key);
    }

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

    @Override
    public String toString() {
        return "TokenSealing[" + currentSealing + "]";
    }
}
