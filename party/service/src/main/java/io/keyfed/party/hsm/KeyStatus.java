package io.keyfed.party.hsm;

import java.security.Key;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the token reports one of the party's keys: present, a token object, sensitive,
 * extractable. Holds no key material.
 *
 * <p>SunPKCS11 exposes these attributes (read from the token when the key was loaded) only in
 * its key objects' descriptions, e.g. {@code "... EC private key, 256 bits token object,
 * sensitive, unextractable)"}; they are parsed from there. When the description has an
 * unexpected shape the flags are reported as unknown ({@link #known()} false).
 */
public final class KeyStatus {
    private static final Pattern BITS = Pattern.compile("(\\d+) bits");

    private final String alias;
    private final String role;
    private final boolean present;
    private final boolean known;
    private final boolean tokenObject;
    private final boolean sensitive;
    private final boolean extractable;
    private final int bits;

    private KeyStatus(String alias, String role, boolean present, boolean known, boolean tokenObject,
            boolean sensitive, boolean extractable, int bits) {
        this.alias = alias;
        this.role = role;
        this.present = present;
        this.known = known;
        this.tokenObject = tokenObject;
        this.sensitive = sensitive;
        this.extractable = extractable;
        this.bits = bits;
    }

    static KeyStatus missing(String alias, String role) {
        return new KeyStatus(alias, role, false, false, false, false, false, 0);
    }

    static KeyStatus of(String alias, String role, Key key) {
        String d = String.valueOf(key);
        boolean known = d.contains("object") && d.contains("sensitive") && d.contains("extractable");
        Matcher m = BITS.matcher(d);
        int bits = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (key instanceof javax.crypto.SecretKey && "AES".equalsIgnoreCase(key.getAlgorithm())
                && (bits == 16 || bits == 24 || bits == 32)) {
            bits *= 8; // SunPKCS11's KeyStore reports a loaded secret key's CKA_VALUE_LEN, which is in bytes
        }
        return new KeyStatus(alias, role, true, known, d.contains("token object"),
                d.contains("sensitive") && !d.contains("not sensitive"),
                d.contains("extractable") && !d.contains("unextractable"), bits);
    }

    public String alias() {
        return alias;
    }

    /** "identity", "sealing" or "agreement". */
    public String role() {
        return role;
    }

    public boolean present() {
        return present;
    }

    /** Whether the flags below were read from the token (false: unknown). */
    public boolean known() {
        return known;
    }

    public boolean tokenObject() {
        return tokenObject;
    }

    public boolean sensitive() {
        return sensitive;
    }

    public boolean extractable() {
        return extractable;
    }

    /** Key size in bits as the token reports it (0 if unknown). */
    public int bits() {
        return bits;
    }

    /** Present, a token object, sensitive and not extractable. */
    public boolean protectedInToken() {
        return present && known && tokenObject && sensitive && !extractable;
    }

    @Override
    public String toString() {
        if (!present) {
            return role + " key '" + alias + "': missing";
        }
        if (!known) {
            return role + " key '" + alias + "': present (attributes unknown)";
        }
        return role + " key '" + alias + "': " + bits + " bits, " + (tokenObject ? "token" : "session") + " object, "
                + (sensitive ? "sensitive" : "NOT sensitive") + ", " + (extractable ? "EXTRACTABLE" : "non-extractable");
    }
}
