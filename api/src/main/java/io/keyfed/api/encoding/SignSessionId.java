package io.keyfed.api.encoding;

import java.util.List;

import io.keyfed.api.ledger.v1.SignatureScheme;

/**
 * The 32-byte signing session id of a sign request, and the rule that picks each attempt's coordinator.
 * The ledger and every party derive the id from the request's own fields, so every FROST message of a
 * session (COMMIT, PACKAGE, SHARE, RESULT) is bound to one request, one key, one set of messages and one
 * federation snapshot.
 *
 * <p>{@code session_id = SHA-256(enc)}, where {@code enc} is the concatenation of:
 * <pre>
 *   lp("keyfed/sign-session/v1")
 *   lp(chain_id)                   UTF-8
 *   u64(sign_request_id)           unsigned, big-endian
 *   u64(key_id)                    unsigned, big-endian
 *   u16(scheme)                    SignatureScheme enum number: 1 ed25519, 2 bip340, 3 ecdsa secp256k1
 *   lp(messages_hash)              the 32 bytes of SignMessages.hash(the request's messages)
 *   u16(n)                         number of parties in the key's snapshot, 1..255
 *   lp(party_1) ... lp(party_n)    the snapshot's party addresses, UTF-8, strictly ascending byte-wise
 *   u16(t)                         the threshold, 1..n
 * </pre>
 * {@code lp(x)} is a 2-byte big-endian length followed by the bytes of x (at most 65535 bytes); all
 * integers are big-endian. This is the layout of {@link DkgSessionId}, under its own domain.
 *
 * <p>Attempt {@code a} (from 0) is coordinated by the snapshot party at 0-based position
 * {@code (u64(session_id[0..8]) + a) mod n}, the u64 unsigned and the sum exact: see {@link #coordinator}.
 */
public final class SignSessionId {
    /** Length of the session id. */
    public static final int LENGTH = 32;
    /** The domain string, the first field of the encoding. */
    public static final String DOMAIN = "keyfed/sign-session/v1";
    /** Largest party count a session can have (as for the DKG). */
    public static final int MAX_PARTIES = DkgSessionId.MAX_PARTIES;

    private SignSessionId() {
    }

    /**
     * @param chainId          the ledger's chain id
     * @param signRequestId    the sign request id (unsigned 64-bit)
     * @param keyId            the id of the key that signs (unsigned 64-bit)
     * @param scheme           the request's signature scheme; not UNSPECIFIED or UNRECOGNIZED
     * @param messagesHash     {@link SignMessages#hash} of the request's messages, 32 bytes
     * @param orderedSnapshot  the key snapshot's party addresses, strictly ascending byte-wise (UTF-8)
     * @param threshold        t, 1 &lt;= t &lt;= n
     * @throws IllegalArgumentException for a null field, an unsorted or duplicated snapshot, a messages hash
     *                                  that is not 32 bytes, a party count or threshold out of range, or a
     *                                  scheme that is not a known one
     */
    public static byte[] derive(String chainId, long signRequestId, long keyId, SignatureScheme scheme,
            byte[] messagesHash, List<String> orderedSnapshot, int threshold) {
        if (chainId == null || scheme == null || messagesHash == null || orderedSnapshot == null) {
            throw new IllegalArgumentException("null session parameter");
        }
        if (scheme == SignatureScheme.SIGNATURE_SCHEME_UNSPECIFIED || scheme == SignatureScheme.UNRECOGNIZED) {
            throw new IllegalArgumentException("signature scheme must be a known one");
        }
        if (messagesHash.length != SignMessages.HASH_LENGTH) {
            throw new IllegalArgumentException("messages hash must be " + SignMessages.HASH_LENGTH + " bytes");
        }
        SessionIdEncoding.requireSnapshot(orderedSnapshot, threshold);
        return new SessionIdEncoding(DOMAIN).lp(chainId).u64(signRequestId).u64(keyId).u16(scheme.getNumber())
                .lp(messagesHash).snapshot(orderedSnapshot, threshold).digest();
    }

    /**
     * The coordinator of an attempt: the 0-based position in the ordered snapshot of
     * {@code (u64(sessionId[0..8]) + attempt) mod n}, where the u64 is unsigned big-endian and the sum is
     * the exact integer sum: it does not wrap at 2^64 (for bytes 0..7 = ff..ff and attempt 1 the sum is
     * 2^64, not 0).
     *
     * @param sessionId  a 32-byte session id from {@link #derive}
     * @param attempt    the attempt number, from 0
     * @param n          the snapshot's party count, 1..255
     * @throws IllegalArgumentException for a session id that is not 32 bytes, a negative attempt or an n out
     *                                  of range
     */
    public static int coordinator(byte[] sessionId, int attempt, int n) {
        if (sessionId == null || sessionId.length != LENGTH) {
            throw new IllegalArgumentException("session id must be " + LENGTH + " bytes");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative");
        }
        if (n < 1 || n > MAX_PARTIES) {
            throw new IllegalArgumentException("participant count out of range");
        }
        long head = 0;
        for (int i = 0; i < 8; i++) {
            head = (head << 8) | (sessionId[i] & 0xffL);
        }
        // (head + attempt) mod n without losing the carry out of 64 bits: reduce each term first, then their
        // sum, which is below 2n and cannot overflow.
        long sum = Long.remainderUnsigned(head, n) + Long.remainderUnsigned(attempt, n);
        return (int) (sum % n);
    }
}
