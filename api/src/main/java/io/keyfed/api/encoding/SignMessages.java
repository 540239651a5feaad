package io.keyfed.api.encoding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The 32-byte hash that stands for the messages of a sign request wherever they are bound: in a party's
 * signed answer ({@link SignResponseSignBytes}) and, from "Signing II" on, in the signing session id.
 *
 * <pre>
 *   SHA-256( u32(23) "keyfed/sign-messages/v1"  u32(count)  u32(len) m_1 ... u32(len) m_count )
 * </pre>
 * Every integer is big-endian. The order of the messages is the request's, and is bound.
 */
public final class SignMessages {
    public static final String DOMAIN = "keyfed/sign-messages/v1";
    public static final int HASH_LENGTH = 32;

    private SignMessages() {
    }

    public static byte[] hash(List<byte[]> messages) {
        CanonicalWriter w = new CanonicalWriter(DOMAIN).u32(messages.size());
        for (byte[] m : messages) {
            w.bytes(m);
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(w.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
