package io.keyfed.party.dkg;

import io.keyfed.party.dkg.wire.Wire;
import io.keyfed.party.dkg.wire.WireWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * 32-byte DKG session identifier binding every message and proof to one key request.
 *
 * <p>{@code sid = SHA-256(enc)} where {@code enc} is, with u16-length-prefixed UTF-8 strings and
 * big-endian integers:
 * <pre>
 *   lp("KEYFED-DKG-v1-session") || lp(chainId) || u64(requestId) || lp(keyringAddress)
 *   || u16(keyType) || u16(n) || lp(participant_1) || ... || lp(participant_n) || u16(t)
 * </pre>
 * The participant list must be strictly ascending (byte-wise over UTF-8); participant identifier i is the
 * 1-based position in that list.
 */
public final class SessionId {
    public static final int LENGTH = 32;
    private static final String DOMAIN = "KEYFED-DKG-v1-session";

    private final byte[] bytes;

    private SessionId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps existing 32 bytes (e.g. decoded from the wire). */
    public static SessionId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
        return new SessionId(bytes.clone());
    }

    /**
     * @param chainId        ledger chain id
     * @param requestId      key request id (treated as unsigned 64-bit)
     * @param keyringAddress keyring address (bech32 string)
     * @param keyType        KeyType enum number (1 = ecdsa secp256k1, 2 = ed25519, 3 = bitcoin secp256k1)
     * @param participants   the request snapshot's party list, sorted strictly ascending
     * @param threshold      t, 1 &lt;= t &lt;= n
     */
    public static SessionId derive(String chainId, long requestId, String keyringAddress, int keyType,
                                   List<String> participants, int threshold) {
        if (chainId == null || keyringAddress == null || participants == null) {
            throw new IllegalArgumentException("null session parameter");
        }
        int n = participants.size();
        if (n < 1 || n > Wire.MAX_PARTICIPANTS) {
            throw new IllegalArgumentException("participant count out of range");
        }
        if (threshold < 1 || threshold > n) {
            throw new IllegalArgumentException("threshold out of range");
        }
        if (keyType < 0 || keyType > 0xFFFF) {
            throw new IllegalArgumentException("key type out of range");
        }
        Participants.requireSorted(participants);
        WireWriter w = new WireWriter();
        w.bytes(utf8(DOMAIN)).bytes(utf8(chainId)).u64(requestId).bytes(utf8(keyringAddress))
                .u16(keyType).u16(n);
        for (String p : participants) {
            w.bytes(utf8(p));
        }
        w.u16(threshold);
        try {
            return new SessionId(MessageDigest.getInstance("SHA-256").digest(w.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId s && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SessionId(" + HexFormat.of().formatHex(bytes) + ")";
    }

    static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string too long");
        }
        return b;
    }
}
