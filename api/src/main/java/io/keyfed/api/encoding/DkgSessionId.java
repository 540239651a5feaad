package io.keyfed.api.encoding;

import java.util.Arrays;
import java.util.List;

/**
 * The 32-byte DKG session id of a key request. The ledger and every party derive it from the request's
 * own fields, so a party's answer (see {@link PartyResponseSignBytes}) names the exact federation and
 * threshold it ran, and the DKG binds every message and proof to it.
 *
 * <p>{@code session_id = SHA-256(enc)}, where {@code enc} is the concatenation of:
 * <pre>
 *   lp("KEYFED-DKG-v1-session")
 *   lp(chain_id)                   UTF-8
 *   u64(request_id)                unsigned, big-endian
 *   lp(keyring_addr)               UTF-8
 *   u16(key_type)                  KeyType enum number: 1 ecdsa secp256k1, 2 ed25519, 3 bitcoin secp256k1
 *   u16(n)                         number of parties in the request's snapshot, 1..255
 *   lp(party_1) ... lp(party_n)    the snapshot's party addresses, UTF-8, strictly ascending byte-wise
 *   u16(t)                         the threshold, 1..n
 * </pre>
 * {@code lp(x)} is a 2-byte big-endian length followed by the bytes of x (at most 65535 bytes); all
 * integers are big-endian. A party's DKG identifier is its 1-based position in the sorted list.
 */
public final class DkgSessionId {
    /** Length of the session id. */
    public static final int LENGTH = 32;
    /** The domain string, the first field of the encoding. */
    public static final String DOMAIN = "KEYFED-DKG-v1-session";
    /** Largest party count a session can have (identifiers are one byte on the DKG's wire). */
    public static final int MAX_PARTIES = 255;

    private DkgSessionId() {
    }

    /**
     * @param chainId      the ledger's chain id
     * @param requestId    the key request id (unsigned 64-bit)
     * @param keyringAddr  the keyring address
     * @param keyType      the KeyType enum number
     * @param parties      the request snapshot's party addresses, strictly ascending byte-wise (UTF-8)
     * @param threshold    t, 1 &lt;= t &lt;= n
     * @throws IllegalArgumentException for a null field, an unsorted or duplicated party list, or a count,
     *                                  threshold or key type out of range
     */
    public static byte[] derive(String chainId, long requestId, String keyringAddr, int keyType,
            List<String> parties, int threshold) {
        if (chainId == null || keyringAddr == null || parties == null) {
            throw new IllegalArgumentException("null session parameter");
        }
        if (keyType < 0 || keyType > 0xFFFF) {
            throw new IllegalArgumentException("key type out of range");
        }
        SessionIdEncoding.requireSnapshot(parties, threshold);
        return new SessionIdEncoding(DOMAIN).lp(chainId).u64(requestId).lp(keyringAddr).u16(keyType)
                .snapshot(parties, threshold).digest();
    }

    /** Rejects a null entry and a list that is not strictly ascending byte-wise over UTF-8. */
    public static void requireSorted(List<String> parties) {
        for (int i = 0; i < parties.size(); i++) {
            if (parties.get(i) == null) {
                throw new IllegalArgumentException("null participant");
            }
            if (i > 0 && Arrays.compareUnsigned(SessionIdEncoding.utf8(parties.get(i - 1)),
                    SessionIdEncoding.utf8(parties.get(i))) >= 0) {
                throw new IllegalArgumentException("participant list must be strictly ascending (byte-wise UTF-8)");
            }
        }
    }
}
