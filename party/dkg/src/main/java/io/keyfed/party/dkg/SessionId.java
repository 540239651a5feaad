package io.keyfed.party.dkg;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * 32-byte DKG session identifier binding every message and proof to one key request. The engine takes it
 * as given ({@link #of}); the ledger and the party service derive it from the request with
 * {@code io.keyfed.api.encoding.DkgSessionId}, whose Javadoc states the byte layout. Participant
 * identifier i is the 1-based position in the request's sorted party list ({@link Participants}).
 */
public final class SessionId {
    public static final int LENGTH = 32;

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
}
