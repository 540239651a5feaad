package io.keyfed.party.session;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;

/**
 * The payload of a round-2 envelope (kind 3): the encrypted share, and the sender's signed
 * {@link ShareStatement} over all its round-2 ciphertexts. Public data (the share is encrypted).
 *
 * <pre>
 * kind 3 payload = u8 version (1) | u16 len | ciphertext (IV || AES-256-GCM body || tag, see EnvelopeCodec)
 *                  | statement (ShareStatement wire) | u16 64 | signature
 * </pre>
 */
public record SignedShare(byte[] ciphertext, ShareStatement statement, byte[] signature) {
    public static final int VERSION = 1;
    public static final int SIGNATURE_LENGTH = 64;
    /** Upper bound of a ciphertext: a round-2 package is far smaller. */
    static final int MAX_CIPHERTEXT = 1024;
    /** Upper bound of an encoded signed share for {@link Wire#MAX_PARTICIPANTS} participants. */
    public static final int MAX_BYTES = 1 + 2 + MAX_CIPHERTEXT + 4
            + (Wire.MAX_PARTICIPANTS - 1) * ShareStatement.ENTRY_BYTES + 2 + SIGNATURE_LENGTH;

    public byte[] encode() {
        WireWriter w = new WireWriter();
        write(w);
        return w.toByteArray();
    }

    void write(WireWriter w) {
        w.u8(VERSION).bytes(ciphertext);
        statement.write(w);
        w.bytes(signature);
    }

    /** Decodes a kind-3 payload of a session of {@code n} participants; malformed input blames {@code from}. */
    public static SignedShare decode(byte[] payload, int n, int from) throws DkgAbort {
        WireReader r = WireReader.open(payload, MAX_BYTES, from);
        SignedShare s = read(r, n);
        r.end();
        return s;
    }

    static SignedShare read(WireReader r, int n) throws DkgAbort {
        int v = r.u8();
        if (v != VERSION) {
            throw r.malformed("unsupported signed-share version " + v);
        }
        int len = r.u16();
        if (len > MAX_CIPHERTEXT) {
            throw r.malformed("ciphertext of " + len + " bytes");
        }
        byte[] ct = r.raw(len, "ciphertext");
        ShareStatement st = ShareStatement.read(r, n);
        byte[] sig = r.bytes(SIGNATURE_LENGTH, "signature");
        return new SignedShare(ct, st, sig);
    }

    /** SHA-256 of a ciphertext, as the statement binds it. */
    public static byte[] hash(byte[] ciphertext) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ciphertext);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedShare s && java.util.Arrays.equals(s.ciphertext, ciphertext)
                && s.statement.equals(statement) && java.util.Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SignedShare[" + statement + "]";
    }
}
