package io.keyfed.party.hsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.jboss.logging.Logger;

/**
 * The party's keys in the token behind {@link HsmToken}: finding them by alias, creating missing ones
 * (EC key pairs with a certificate issued in the token, AES-256 sealing keys), checking that each is a
 * sensitive, non-extractable token object of the right type, inspecting them for {@code hsm-check}, and
 * the naming and listing of sealing-key generations ({@code <base>}, {@code <base>-2}, ...).
 *
 * <p>Invariants: key material never leaves the token (only handles and public keys are held); errors
 * and log lines name aliases, roles and curves, never key bytes. Writes to the key store hold the
 * session's key-store lock. Every method blocks in the PKCS#11 library (off the Vert.x event loop).
 * Logs under {@link HsmToken}'s category.
 */
final class TokenKeys {
    private static final Logger LOG = Logger.getLogger(HsmToken.class);

    private static final String IDENTITY_SUBJECT = "KeyFed party identity";
    private static final String AGREEMENT_SUBJECT = "KeyFed party key agreement";

    private final Provider provider;
    private final KeyStore keyStore;
    private final Object keyStoreLock;
    private final SecureRandom random;

    TokenKeys(TokenSession session) {
        this.provider = session.provider();
        this.keyStore = session.keyStore();
        this.keyStoreLock = session.keyStoreLock();
        this.random = session.random();
    }

    // ---------------------------------------------------------------------------------------
    // EC key pairs (identity, agreement)
    // ---------------------------------------------------------------------------------------

    /**
     * The EC private key under {@code alias}, created (with a certificate signed by {@code issuerKey}, or
     * self-signed when null) if missing and {@code create}; checks its type and curve.
     */
    PrivateKey loadOrCreateKeyPair(String alias, String role, ASN1ObjectIdentifier curve, boolean create,
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

    /** The X.509 certificate stored with the key pair under {@code alias}. */
    X509Certificate certificate(String alias, String role) {
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

    // ---------------------------------------------------------------------------------------
    // Sealing keys (AES-256)
    // ---------------------------------------------------------------------------------------

    /** The AES-256 key under {@code alias}, generated in the token if missing and {@code create}. */
    SecretKey loadOrCreateSealingKey(String alias, boolean create) {
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

    static SecretKey checkSealingKey(String alias, Key key) {
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

    /** The key's status; refuses a key that is not a sensitive, non-extractable token object. */
    static KeyStatus checkProtected(String alias, String role, Key key) {
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

    /** The key id written into sealed blobs for {@code alias}: its UTF-8 bytes (1 to 255). */
    static byte[] keyId(String alias) {
        byte[] id = alias.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > 255) {
            throw new HsmException(HsmException.Kind.CONFIG, "the sealing alias must be 1 to 255 bytes of UTF-8");
        }
        return id;
    }

    /** How the token reports the key under {@code alias}, or missing; changes nothing. */
    static KeyStatus inspectKey(KeyStore keyStore, String alias, String role) {
        try {
            Key key = keyStore.getKey(alias, null);
            return key == null ? KeyStatus.missing(alias, role) : KeyStatus.of(alias, role, key);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException(HsmException.Kind.OPERATION, "cannot read the " + role + " key '" + alias + "': "
                    + HsmException.rootMessage(e), e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Sealing-key generations
    // ---------------------------------------------------------------------------------------

    /** See {@link HsmToken#sealingAlias(String, int)}. */
    static String sealingAlias(String base, int generation) {
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
    static List<Integer> sealingGenerations(KeyStore keyStore, String base) {
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
    static int highestSealingGeneration(KeyStore keyStore, String base) {
        List<Integer> g = sealingGenerations(keyStore, base);
        return g.isEmpty() ? 0 : g.get(g.size() - 1);
    }

    @Override
    public String toString() {
        return "TokenKeys[" + provider.getName() + "]";
    }
}
