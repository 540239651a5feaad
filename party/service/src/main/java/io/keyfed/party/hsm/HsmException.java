package io.keyfed.party.hsm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure talking to the party's PKCS#11 token. The message says what went wrong and how to
 * fix it; {@link #returnCode()} carries the PKCS#11 return code (e.g. {@code CKR_PIN_INCORRECT})
 * when the token reported one. Messages never contain PINs or key material.
 */
public final class HsmException extends RuntimeException {

    /** What kind of problem this is. */
    public enum Kind {
        /** The SunPKCS11 configuration file is missing or invalid. */
        CONFIG,
        /** The PKCS#11 library could not be loaded or the slot/token could not be used. */
        LIBRARY,
        /** No user PIN was supplied. */
        PIN_MISSING,
        /** Login to the token failed (wrong PIN, locked PIN, uninitialised token...). */
        LOGIN,
        /** The token lacks a mechanism the party needs. */
        MECHANISM_MISSING,
        /** A key the party needs is not in the token (and was not to be created). */
        KEY_MISSING,
        /** A key is in the token but unusable (wrong type or curve, extractable...). */
        KEY_INVALID,
        /** Sealed data failed authentication: tampered, wrong associated data or wrong key. */
        UNSEAL_FAILED,
        /** An operation on the token failed. */
        OPERATION,
        /** The token facade was closed. */
        CLOSED
    }

    private static final long serialVersionUID = 1L;
    private static final Pattern CKR = Pattern.compile("\\bCKR_[A-Z0-9_]+");

    private final Kind kind;
    private final String returnCode;

    HsmException(Kind kind, String message) {
        this(kind, message, null);
    }

    HsmException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, findReturnCode(cause));
    }

    private HsmException(Kind kind, String message, Throwable cause, String returnCode) {
        super(returnCode == null || message.contains(returnCode) ? message : message + " [" + returnCode + "]",
                cause);
        this.kind = kind;
        this.returnCode = returnCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The PKCS#11 return code name (CKR_...) found in the cause chain, if any. */
    public Optional<String> returnCode() {
        return Optional.ofNullable(returnCode);
    }

    /**
     * Finds a PKCS#11 return code in a cause chain. SunPKCS11 reports them as
     * {@code sun.security.pkcs11.wrapper.PKCS11Exception} whose message is the CKR_ name; that
     * class is not exported, so its message is read rather than its error code.
     */
    static String findReturnCode(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (m != null) {
                Matcher matcher = CKR.matcher(m);
                if (matcher.find()) {
                    return matcher.group();
                }
            }
        }
        return null;
    }

    /** The deepest message of a cause chain, for diagnostics (SunPKCS11 messages hold no secrets). */
    static String rootMessage(Throwable t) {
        String msg = null;
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t.getMessage() != null) {
                msg = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return msg == null ? "no detail" : msg;
    }
}
