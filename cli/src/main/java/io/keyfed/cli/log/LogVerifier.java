package io.keyfed.cli.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.cli.http.LedgerJson.TxEntry;

/**
 * Checks the tx log's hash chain one entry at a time: heights 1, 2, 3... without gaps, every prev_hash
 * equal to the previous entry's hash (32 zero bytes before height 1), and every hash equal to
 * SHA-256(prev_hash || tx_bytes || outcome as UTF-8).
 */
public final class LogVerifier {
    /** prev_hash of height 1. */
    public static final byte[] GENESIS_PREV_HASH = new byte[32];

    /** The first entry that breaks the chain. */
    public static final class BadEntry extends Exception {
        private final long height;

        BadEntry(long height, String reason) {
            super(reason);
            this.height = height;
        }

        public long height() {
            return height;
        }

        public String reason() {
            return getMessage();
        }
    }

    private long expectedHeight = 1;
    private byte[] head = GENESIS_PREV_HASH;

    /** Checks the next entry in height order. */
    public void accept(TxEntry e) throws BadEntry {
        if (e.height() != expectedHeight) {
            if (e.height() > expectedHeight) {
                throw new BadEntry(expectedHeight, "height " + expectedHeight + " is missing (next entry has height "
                        + e.height() + ")");
            }
            throw new BadEntry(expectedHeight, "expected height " + expectedHeight + " but got height " + e.height()
                    + " (duplicate or out of order)");
        }
        byte[] prev = parseHash(e.prevHash(), "prev_hash", e.height());
        if (!MessageDigest.isEqual(prev, head)) {
            throw new BadEntry(e.height(), "prev_hash " + hex(prev) + " does not match the hash of height "
                    + (e.height() - 1) + " (" + hex(head) + ")");
        }
        byte[] stated = parseHash(e.hash(), "hash", e.height());
        byte[] computed = hashOf(head, e.txBytes(), e.outcome());
        if (!MessageDigest.isEqual(stated, computed)) {
            throw new BadEntry(e.height(), "hash " + hex(stated) + " does not match SHA-256(prev_hash || tx_bytes || "
                    + "outcome) = " + hex(computed));
        }
        head = computed;
        expectedHeight++;
    }

    /** Number of entries verified so far. */
    public long count() {
        return expectedHeight - 1;
    }

    /** Hash of the last verified entry (32 zero bytes when none), hex. */
    public String headHex() {
        return hex(head);
    }

    public static byte[] hashOf(byte[] prevHash, byte[] txBytes, String outcome) {
        return Hashes.sha256(prevHash, txBytes, outcome.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] parseHash(String s, String what, long height) throws BadEntry {
        try {
            byte[] b = HexFormat.of().parseHex(s == null ? "" : s);
            if (b.length == 32) {
                return b;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new BadEntry(height, what + " '" + s + "' is not a 32-byte hex hash");
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
