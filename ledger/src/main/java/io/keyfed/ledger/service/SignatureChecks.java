package io.keyfed.ledger.service;

import java.util.List;
import java.util.Locale;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * Sign-request rules that depend on the scheme: which scheme a key type signs with, the key its signatures
 * verify under, the length of a message, and the check of one signature. Pure, no I/O.
 */
final class SignatureChecks {
    /** Longest Ed25519 message: what fits a Solana transaction. */
    static final int MAX_ED25519_MESSAGE = 1232;
    static final int DIGEST_LENGTH = 32;
    static final int SIGNATURE_LENGTH = 64;

    private SignatureChecks() {
    }

    /** The scheme fixed by the key type. */
    static SignatureScheme scheme(KeyType type) {
        return switch (type) {
            case KEY_TYPE_EDDSA_ED25519 -> SignatureScheme.SIGNATURE_SCHEME_ED25519;
            case KEY_TYPE_BITCOIN_TAPROOT -> SignatureScheme.SIGNATURE_SCHEME_BIP340;
            case KEY_TYPE_ECDSA_SECP256K1, KEY_TYPE_BITCOIN_SECP256K1 -> SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1;
            default -> throw LedgerException.precondition("key type " + type + " has no signature scheme");
        };
    }

    /** The configuration name of a scheme: ed25519, bip340, ecdsa. */
    static String name(SignatureScheme s) {
        return switch (s) {
            case SIGNATURE_SCHEME_ED25519 -> "ed25519";
            case SIGNATURE_SCHEME_BIP340 -> "bip340";
            case SIGNATURE_SCHEME_ECDSA_SECP256K1 -> "ecdsa";
            default -> s.name();
        };
    }

    /** FAILED_PRECONDITION unless {@code supported} (configuration names, any case) lists the scheme. */
    static void requireSupported(SignatureScheme s, List<String> supported) {
        String name = name(s);
        if (supported.stream().noneMatch(x -> x.trim().toLowerCase(Locale.ROOT).equals(name))) {
            throw LedgerException.precondition("signature scheme " + name + " (" + s + ") is not supported by the"
                    + " parties yet; supported: " + String.join(",", supported));
        }
    }

    /** INVALID_ARGUMENT naming the index and length of a message of the wrong length for the scheme. */
    static void checkMessage(SignatureScheme s, int index, byte[] m) {
        boolean ok = s == SignatureScheme.SIGNATURE_SCHEME_ED25519
                ? m.length >= 1 && m.length <= MAX_ED25519_MESSAGE
                : m.length == DIGEST_LENGTH;
        if (!ok) {
            String want = s == SignatureScheme.SIGNATURE_SCHEME_ED25519 ? "1.." + MAX_ED25519_MESSAGE + " bytes"
                    : DIGEST_LENGTH + " bytes";
            throw LedgerException.invalid("messages[" + index + "] has " + m.length + " bytes; " + name(s)
                    + " messages must be " + want);
        }
    }

    /**
     * The key signatures verify under: x(Q) for taproot keys (Q the BIP-86 tweak of the key), the key itself
     * otherwise.
     */
    static byte[] verifyingKey(KeyType type, byte[] publicKey) {
        if (type == KeyType.KEY_TYPE_BITCOIN_TAPROOT) {
            throw LedgerException.precondition("taproot keys cannot sign yet: no BIP-86 output key computation");
        }
        return publicKey.clone();
    }

    /** Whether {@code sig} is a valid signature of {@code message} under {@code verifyingKey} in the scheme. */
    static boolean verifies(SignatureScheme s, byte[] verifyingKey, byte[] message, byte[] sig) {
        if (sig.length != SIGNATURE_LENGTH) {
            return false;
        }
        return switch (s) {
            case SIGNATURE_SCHEME_ED25519 -> verifyingKey.length == Ed25519.PUBLIC_KEY_SIZE
                    && Ed25519.validatePublicKeyFull(verifyingKey, 0)
                    && Ed25519.verify(sig, 0, verifyingKey, 0, message, 0, message.length);
            default -> throw LedgerException.precondition("no verifier for " + name(s) + " signatures yet");
        };
    }

    /** ECDSA: the recovery id (0..3) of each signature; empty for the other schemes. */
    static List<Integer> recoveryIds(SignatureScheme s, byte[] verifyingKey, List<byte[]> messages,
            List<byte[]> sigs) {
        if (s != SignatureScheme.SIGNATURE_SCHEME_ECDSA_SECP256K1) {
            return List.of();
        }
        throw LedgerException.precondition("no recovery id computation for ecdsa signatures yet");
    }
}
