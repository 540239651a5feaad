package io.keyfed.party.pairing;

import java.util.Arrays;

import io.keyfed.party.dkls.DlogProof;
import io.keyfed.party.dkls.PairSetup;
import io.keyfed.party.dkls.SetupMessages;
import io.keyfed.party.dkls.Vsot;

/**
 * The payloads of the pairwise-setup envelopes. Every field has a fixed length, so decoding checks the exact
 * length first and refuses anything else ({@link Malformed}, naming the field or the length). Stateless.
 *
 * <pre>
 * HELLO (kind 32) = u8 version (1) | u8 held (0 or 1) | held setup id (32; zeros when held = 0)
 *                 | nonce (32) | X25519 public key for this run (32) | sender's identity key (33, compressed)
 * ROUND (kind 33) = u8 version (1) | u8 round (1..5) | IV (12) | AES-256-GCM(round key, aad, round plaintext)
 *
 * round plaintexts (n = PairSetup.BASE_OTS = 256):
 *   1: OT key B (33) | proof commitment (33) | proof response (32) | seed commitment (32)
 *   2: OT choices (n × 33)
 *   3: OT challenges (n × 32)
 *   4: OT responses (n × 32)
 *   5: OT openings (n × 64) | seed share (32, secret)
 * </pre>
 */
final class PairWire {
    static final int VERSION = 1;
    static final int ID = 32;
    static final int NONCE = 32;
    static final int X25519_KEY = 32;
    static final int IDENTITY_KEY = 33;
    static final int HELLO_LENGTH = 2 + ID + NONCE + X25519_KEY + IDENTITY_KEY;
    static final int ROUNDS = 5;
    private static final int N = PairSetup.BASE_OTS;
    private static final int POINT = 33;
    private static final int SCALAR = 32;
    private static final int[] PLAINTEXT = { 0, 2 * POINT + SCALAR + ID, N * POINT, N * 32, N * 32, N * 64 + 32 };

    private PairWire() {
    }

    /** A payload that does not decode; the message names the problem (never any content). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** A decoded HELLO (public). */
    static final class Hello {
        final byte[] heldSetupId;
        final byte[] nonce;
        final byte[] ephemeral;
        final byte[] identityKey;

        Hello(byte[] heldSetupId, byte[] nonce, byte[] ephemeral, byte[] identityKey) {
            this.heldSetupId = heldSetupId == null ? null : heldSetupId.clone();
            this.nonce = nonce.clone();
            this.ephemeral = ephemeral.clone();
            this.identityKey = identityKey.clone();
        }

        boolean sameAs(Hello o) {
            return Arrays.equals(heldSetupId, o.heldSetupId) && Arrays.equals(nonce, o.nonce)
                    && Arrays.equals(ephemeral, o.ephemeral) && Arrays.equals(identityKey, o.identityKey);
        }
    }

    static byte[] hello(Hello h) {
        byte[] out = new byte[HELLO_LENGTH];
        out[0] = VERSION;
        out[1] = (byte) (h.heldSetupId == null ? 0 : 1);
        if (h.heldSetupId != null) {
            System.arraycopy(h.heldSetupId, 0, out, 2, ID);
        }
        System.arraycopy(h.nonce, 0, out, 2 + ID, NONCE);
        System.arraycopy(h.ephemeral, 0, out, 2 + ID + NONCE, X25519_KEY);
        System.arraycopy(h.identityKey, 0, out, 2 + ID + NONCE + X25519_KEY, IDENTITY_KEY);
        return out;
    }

    static Hello hello(byte[] p) throws Malformed {
        if (p.length != HELLO_LENGTH) {
            throw new Malformed("HELLO of " + p.length + " bytes; expected " + HELLO_LENGTH);
        }
        if (p[0] != VERSION) {
            throw new Malformed("HELLO of unsupported version " + (p[0] & 0xff));
        }
        if (p[1] != 0 && p[1] != 1) {
            throw new Malformed("HELLO with held flag " + (p[1] & 0xff) + " (expected 0 or 1)");
        }
        byte[] held = p[1] == 1 ? Arrays.copyOfRange(p, 2, 2 + ID) : null;
        if (p[1] == 0 && !Arrays.equals(Arrays.copyOfRange(p, 2, 2 + ID), new byte[ID])) {
            throw new Malformed("HELLO holds no setup but names a setup id");
        }
        int off = 2 + ID;
        return new Hello(held, Arrays.copyOfRange(p, off, off + NONCE),
                Arrays.copyOfRange(p, off + NONCE, off + NONCE + X25519_KEY),
                Arrays.copyOfRange(p, off + NONCE + X25519_KEY, HELLO_LENGTH));
    }

    /** The first two bytes of a ROUND payload: its version and round; the rest is the ciphertext. */
    static byte[] roundHeader(int round) {
        return new byte[] { VERSION, (byte) round };
    }

    /** The round number of a ROUND payload, checked (version, round in 1..5, room for IV and tag). */
    static int roundOf(byte[] payload) throws Malformed {
        if (payload.length < 2 + 12 + 16) {
            throw new Malformed("ROUND of " + payload.length + " bytes is truncated");
        }
        if (payload[0] != VERSION) {
            throw new Malformed("ROUND of unsupported version " + (payload[0] & 0xff));
        }
        int round = payload[1] & 0xff;
        if (round < 1 || round > ROUNDS) {
            throw new Malformed("ROUND number " + round + " (expected 1 to " + ROUNDS + ")");
        }
        return round;
    }

    /** The plaintext of round {@code k}'s message (the caller wipes round 5's, which holds the seed share). */
    static byte[] encode(Object message) {
        if (message instanceof SetupMessages.Round1 m) {
            return concat(m.key().publicKey(), m.key().proof().commitment(), m.key().proof().response(),
                    m.seedCommitment());
        }
        if (message instanceof SetupMessages.Round2 m) {
            return m.choices().points();
        }
        if (message instanceof SetupMessages.Round3 m) {
            return m.challenges().challenges();
        }
        if (message instanceof SetupMessages.Round4 m) {
            return m.responses().responses();
        }
        if (message instanceof SetupMessages.Round5 m) {
            byte[] share = m.seedShare();
            byte[] out = concat(m.openings().openings(), share);
            Arrays.fill(share, (byte) 0);
            return out;
        }
        throw new IllegalArgumentException("not a pairwise-setup message");
    }

    static SetupMessages.Round1 round1(byte[] p, int from, int to) throws Malformed {
        length(p, 1);
        return new SetupMessages.Round1(from, to,
                new Vsot.KeyMsg(Arrays.copyOfRange(p, 0, POINT),
                        new DlogProof(Arrays.copyOfRange(p, POINT, 2 * POINT),
                                Arrays.copyOfRange(p, 2 * POINT, 2 * POINT + SCALAR))),
                Arrays.copyOfRange(p, 2 * POINT + SCALAR, p.length));
    }

    static SetupMessages.Round2 round2(byte[] p, int from, int to) throws Malformed {
        length(p, 2);
        return new SetupMessages.Round2(from, to, new Vsot.ChoicesMsg(p));
    }

    static SetupMessages.Round3 round3(byte[] p, int from, int to) throws Malformed {
        length(p, 3);
        return new SetupMessages.Round3(from, to, new Vsot.ChallengesMsg(p));
    }

    static SetupMessages.Round4 round4(byte[] p, int from, int to) throws Malformed {
        length(p, 4);
        return new SetupMessages.Round4(from, to, new Vsot.ResponsesMsg(p));
    }

    /** Round 5; the caller wipes {@code p} (it holds the peer's seed share). */
    static SetupMessages.Round5 round5(byte[] p, int from, int to) throws Malformed {
        length(p, 5);
        byte[] share = Arrays.copyOfRange(p, N * 64, p.length);
        try {
            return new SetupMessages.Round5(from, to, new Vsot.OpeningsMsg(Arrays.copyOfRange(p, 0, N * 64)), share);
        } finally {
            Arrays.fill(share, (byte) 0);
        }
    }

    private static void length(byte[] p, int round) throws Malformed {
        if (p.length != PLAINTEXT[round]) {
            throw new Malformed("round " + round + " message of " + p.length + " bytes; expected " + PLAINTEXT[round]);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] b : parts) {
            n += b.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, off, b.length);
            off += b.length;
        }
        return out;
    }
}
