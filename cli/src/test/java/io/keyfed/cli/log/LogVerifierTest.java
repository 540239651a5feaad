package io.keyfed.cli.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyfed.cli.http.LedgerJson.TxEntry;

class LogVerifierTest {
    private static final HexFormat HEX = HexFormat.of();

    /** A correct chain of n entries. */
    static List<TxEntry> chain(int n) {
        List<TxEntry> out = new ArrayList<>();
        byte[] prev = new byte[32];
        for (int h = 1; h <= n; h++) {
            byte[] tx = ("tx-" + h).getBytes(StandardCharsets.UTF_8);
            String outcome = "outcome " + h + " é";
            byte[] hash = LogVerifier.hashOf(prev, tx, outcome);
            out.add(new TxEntry(h, HEX.formatHex(hash), HEX.formatHex(prev), tx, outcome));
            prev = hash;
        }
        return out;
    }

    static long badHeight(List<TxEntry> entries) {
        LogVerifier v = new LogVerifier();
        LogVerifier.BadEntry e = assertThrows(LogVerifier.BadEntry.class, () -> {
            for (TxEntry t : entries) {
                v.accept(t);
            }
        });
        return e.height();
    }

    @Test
    void acceptsAGoodChain() throws Exception {
        List<TxEntry> c = chain(5);
        LogVerifier v = new LogVerifier();
        for (TxEntry t : c) {
            v.accept(t);
        }
        assertEquals(5, v.count());
        assertEquals(c.get(4).hash(), v.headHex());
    }

    @Test
    void emptyLogVerifiesWithZeroHead() {
        LogVerifier v = new LogVerifier();
        assertEquals(0, v.count());
        assertEquals("0".repeat(64), v.headHex());
    }

    @Test
    void hashIsSha256OfPrevTxBytesOutcome() throws Exception {
        byte[] prev = new byte[32];
        byte[] tx = {1, 2, 3};
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        md.update(prev);
        md.update(tx);
        md.update("ok".getBytes(StandardCharsets.UTF_8));
        assertEquals(HEX.formatHex(md.digest()), HEX.formatHex(LogVerifier.hashOf(prev, tx, "ok")));
    }

    @Test
    void namesTamperedTxBytes() {
        List<TxEntry> c = chain(5);
        TxEntry e = c.get(2);
        c.set(2, new TxEntry(e.height(), e.hash(), e.prevHash(), "evil".getBytes(StandardCharsets.UTF_8),
                e.outcome()));
        assertEquals(3, badHeight(c));
    }

    @Test
    void namesTamperedOutcome() {
        List<TxEntry> c = chain(5);
        TxEntry e = c.get(3);
        c.set(3, new TxEntry(e.height(), e.hash(), e.prevHash(), e.txBytes(), e.outcome() + "!"));
        assertEquals(4, badHeight(c));
    }

    @Test
    void namesTamperedPrevHash() {
        List<TxEntry> c = chain(5);
        TxEntry e = c.get(1);
        c.set(1, new TxEntry(e.height(), e.hash(), "11".repeat(32), e.txBytes(), e.outcome()));
        assertEquals(2, badHeight(c));
    }

    @Test
    void namesPrevHashOfHeightOneThatIsNotZero() {
        List<TxEntry> c = chain(2);
        TxEntry e = c.get(0);
        c.set(0, new TxEntry(1, e.hash(), "01" + "00".repeat(31), e.txBytes(), e.outcome()));
        assertEquals(1, badHeight(c));
    }

    @Test
    void rehashedTamperingStillBreaksTheNextLink() {
        // An attacker who changes height 2 and recomputes its hash is caught at height 3.
        List<TxEntry> c = chain(4);
        TxEntry e = c.get(1);
        byte[] forged = LogVerifier.hashOf(HEX.parseHex(e.prevHash()), e.txBytes(), "forged");
        c.set(1, new TxEntry(2, HEX.formatHex(forged), e.prevHash(), e.txBytes(), "forged"));
        assertEquals(3, badHeight(c));
    }

    @Test
    void namesAMissingHeight() {
        List<TxEntry> c = chain(5);
        c.remove(2);
        LogVerifier v = new LogVerifier();
        LogVerifier.BadEntry e = assertThrows(LogVerifier.BadEntry.class, () -> {
            for (TxEntry t : c) {
                v.accept(t);
            }
        });
        assertEquals(3, e.height());
        assertTrue(e.reason().contains("missing"), e.reason());
    }

    @Test
    void namesADuplicateHeight() {
        List<TxEntry> c = chain(3);
        c.add(2, c.get(1));
        assertEquals(3, badHeight(c));
    }

    @Test
    void namesAMalformedHash() {
        List<TxEntry> c = chain(2);
        TxEntry e = c.get(1);
        c.set(1, new TxEntry(2, "xyz", e.prevHash(), e.txBytes(), e.outcome()));
        assertEquals(2, badHeight(c));
    }
}
