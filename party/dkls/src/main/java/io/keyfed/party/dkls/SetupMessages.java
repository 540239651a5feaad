package io.keyfed.party.dkls;

/**
 * The public messages of the pairwise setup ({@link PairSetup}), one per round, each from one party of the
 * pair to the other. Both parties send one of each. {@code from} and {@code to} are participant identifiers;
 * the receiving round checks them.
 */
public final class SetupMessages {
    private SetupMessages() {}

    /** Round 1: the sender key of the OT where {@code from} sends, and the commitment to its seed share. */
    public record Round1(int from, int to, Vsot.KeyMsg key, byte[] seedCommitment) {
        public Round1 {
            seedCommitment = seedCommitment.clone();
        }

        @Override
        public byte[] seedCommitment() {
            return seedCommitment.clone();
        }
    }

    /** Round 2: the encoded choices of the OT where {@code from} receives. */
    public record Round2(int from, int to, Vsot.ChoicesMsg choices) {}

    /** Round 3: the challenges of the OT where {@code from} sends. */
    public record Round3(int from, int to, Vsot.ChallengesMsg challenges) {}

    /** Round 4: the responses of the OT where {@code from} receives. */
    public record Round4(int from, int to, Vsot.ResponsesMsg responses) {}

    /**
     * Round 5: the openings of the OT where {@code from} sends, and the opening of its seed share. The seed
     * share is SECRET to everyone but the pair (it becomes the zero-sharing seed), so this message must
     * travel encrypted, and it is a class, not a record: its {@code toString} never shows the share.
     */
    public static final class Round5 {
        private final int from;
        private final int to;
        private final Vsot.OpeningsMsg openings;
        private final byte[] seedShare;

        public Round5(int from, int to, Vsot.OpeningsMsg openings, byte[] seedShare) {
            this.from = from;
            this.to = to;
            this.openings = openings;
            this.seedShare = seedShare.clone();
        }

        public int from() {
            return from;
        }

        public int to() {
            return to;
        }

        public Vsot.OpeningsMsg openings() {
            return openings;
        }

        /** A copy of the seed share (secret). */
        public byte[] seedShare() {
            return seedShare.clone();
        }

        @Override
        public String toString() {
            return "Round5[from=" + from + ", to=" + to + ", seed share REDACTED]";
        }
    }
}
