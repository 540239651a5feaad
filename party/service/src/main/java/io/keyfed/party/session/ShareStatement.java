package io.keyfed.party.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.keyfed.api.encoding.CanonicalWriter;
import io.keyfed.party.dkg.DkgAbort;
import io.keyfed.party.dkg.wire.WireReader;
import io.keyfed.party.dkg.wire.WireWriter;

/**
 * What a party signs in its token, once per session, over the round-2 ciphertexts it sends: for every
 * recipient, the pair's two ephemeral public keys and the hash of the ciphertext. Public data. Every round-2
 * envelope carries the whole statement and its signature ({@link SignedShare}), so that its recipient can show a
 * bad share to everyone ({@link ComplaintEvidence}).
 *
 * <pre>
 * sign bytes = CanonicalWriter("keyfed/dkg-round2/v1").bytes(session id).string(sender address).u32(count)
 *              then for each entry, recipients ascending:
 *              .u32(recipient id).bytes(sender's ephemeral public for recipient).bytes(recipient's ephemeral
 *              public as the sender received it).bytes(SHA-256(ciphertext to recipient))
 * signature  = the sender's token: ECDSA secp256k1 over SHA-256(sign bytes), 64 bytes R || S (low S);
 *              verified with the sender's identity key from the request's snapshot
 * wire       = u16 sender | u16 count | count × (u16 recipient | u16 32 | key | u16 32 | key | u16 32 | hash)
 * </pre>
 *
 * A statement names every other participant exactly once, in ascending order.
 */
public final class ShareStatement {
    public static final String DOMAIN = "keyfed/dkg-round2/v1";
    public static final int HASH_LENGTH = 32;
    /** Encoded size of one entry. */
    static final int ENTRY_BYTES = 2 + 3 * (2 + 32);

    /** One recipient's line. */
    public record Entry(int recipient, byte[] senderKey, byte[] recipientKey, byte[] ciphertextHash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.recipient == recipient && Arrays.equals(e.senderKey, senderKey)
                    && Arrays.equals(e.recipientKey, recipientKey) && Arrays.equals(e.ciphertextHash, ciphertextHash);
        }

        @Override
        public int hashCode() {
            return recipient * 31 + Arrays.hashCode(ciphertextHash);
        }

        @Override
        public String toString() {
            return "Entry[" + recipient + "]";
        }
    }

    private final int sender;
    private final List<Entry> entries;

    public ShareStatement(int sender, List<Entry> entries) {
        this.sender = sender;
        this.entries = List.copyOf(entries);
    }

    public int sender() {
        return sender;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry for {@code recipient}, or null. */
    public Entry entryFor(int recipient) {
        for (Entry e : entries) {
            if (e.recipient() == recipient) {
                return e;
            }
        }
        return null;
    }

    /** The bytes the sender signs. */
    public byte[] signBytes(byte[] sessionId, String senderAddress) {
        CanonicalWriter w = new CanonicalWriter(DOMAIN).bytes(sessionId).string(senderAddress).u32(entries.size());
        for (Entry e : entries) {
            w.u32(e.recipient()).bytes(e.senderKey()).bytes(e.recipientKey()).bytes(e.ciphertextHash());
        }
        return w.toByteArray();
    }

    void write(WireWriter w) {
        w.u16(sender).u16(entries.size());
        for (Entry e : entries) {
            w.u16(e.recipient()).bytes(e.senderKey()).bytes(e.recipientKey()).bytes(e.ciphertextHash());
        }
    }

    /** Reads a statement of a session of {@code n} participants; malformed input blames {@code r.from()}. */
    static ShareStatement read(WireReader r, int n) throws DkgAbort {
        int sender = r.u16();
        if (sender < 1 || sender > n) {
            throw r.malformed("statement names sender " + sender + " outside 1.." + n);
        }
        int count = r.u16();
        if (count != n - 1) {
            throw r.malformed("statement has " + count + " entries instead of " + (n - 1));
        }
        List<Entry> entries = new ArrayList<>(count);
        int last = 0;
        for (int i = 0; i < count; i++) {
            int recipient = r.u16();
            if (recipient <= last || recipient > n || recipient == sender) {
                throw r.malformed("statement entry " + i + " names recipient " + recipient
                        + " (the others, ascending, expected)");
            }
            last = recipient;
            entries.add(new Entry(recipient, r.bytes(EphemeralKeys.KEY_LENGTH, "sender's ephemeral key"),
                    r.bytes(EphemeralKeys.KEY_LENGTH, "recipient's ephemeral key"),
                    r.bytes(HASH_LENGTH, "ciphertext hash")));
        }
        return new ShareStatement(sender, entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareStatement s && s.sender == sender && s.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return sender * 31 + entries.hashCode();
    }

    @Override
    public String toString() {
        return "ShareStatement[sender " + sender + ", " + entries.size() + " entries]";
    }
}
