package io.keyfed.party.dkls;

import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The pairwise setup of DKLs23, run once by each pair of keyring parties: two batched VSOT base-OT runs of
 * {@link #BASE_OTS} OTs each, one in each direction, and a commit-then-open exchange of seed shares that
 * gives the pair its zero-sharing seed (DKLs23, Functionality 3.4). Five rounds; in each both parties send
 * one message, so the two runs go side by side:
 *
 * <pre>
 * round 1  KEY of the OT I send        + commitment H(id, me, s_me) to my seed share
 * round 2  CHOICES of the OT I receive (after checking the peer's KEY proof)
 * round 3  CHALLENGES of the OT I send
 * round 4  RESPONSES of the OT I receive
 * round 5  OPENINGS of the OT I send   + my seed share s_me  (after checking the peer's RESPONSES)
 * finish   check the peer's OPENINGS and its seed share against its commitment
 *          zero seed = H(id, s_low, s_high) (ordered by identifier)
 * </pre>
 *
 * Round 5 carries a secret (the seed share): the caller must send it over an encrypted, authenticated
 * channel. Every check names the peer as the culprit; an abort wipes the state.
 */
public final class PairSetup {
    /** Base OTs per direction: κ = 256, the number SoftSpokenOT's extension consumes. */
    public static final int BASE_OTS = 256;
    static final int SEED = 32;

    private PairSetup() {}

    /** Round 1 for {@code self} with {@code peer}, under the 32-byte {@code setupId} both agree on. */
    public static Step<PairSetupState, SetupMessages.Round1> start(byte[] setupId, int self, int peer,
            SecureRandom rng) {
        Vsot.checkSid(setupId);
        if (self <= 0 || peer <= 0 || self == peer) {
            throw new IllegalArgumentException("identifiers must be positive and distinct");
        }
        byte[] id = setupId.clone();
        byte[] seedShare = new byte[SEED];
        rng.nextBytes(seedShare);
        Step<VsotSender, Vsot.KeyMsg> key = VsotSender.start(otSid(id, self, peer), peer, BASE_OTS, rng);
        VsotReceiver receiver = VsotReceiver.start(otSid(id, peer, self), peer, BASE_OTS, rng);
        PairSetupState s = new PairSetupState(self, peer, id, seedShare, key.state(), receiver);
        return new Step<>(s, new SetupMessages.Round1(self, peer, key.message(), commitment(id, self, seedShare)));
    }

    public static Step<PairSetupState, SetupMessages.Round2> round2(PairSetupState s, SetupMessages.Round1 in,
            SecureRandom rng) throws DklsAbort {
        s.advance(1);
        route(s, in.from(), in.to());
        byte[] c = in.seedCommitment();
        if (c.length != Hash.LEN) {
            throw abort(s, new DklsError.MalformedMessage(s.peer, "seed commitment of " + c.length + " bytes"));
        }
        s.peerCommitment = c;
        Step<VsotReceiver, Vsot.ChoicesMsg> r = guard(s, () -> VsotReceiver.choose(s.receiver, in.key(), rng));
        return new Step<>(s, new SetupMessages.Round2(s.self, s.peer, r.message()));
    }

    public static Step<PairSetupState, SetupMessages.Round3> round3(PairSetupState s, SetupMessages.Round2 in)
            throws DklsAbort {
        s.advance(2);
        route(s, in.from(), in.to());
        Step<VsotSender, Vsot.ChallengesMsg> r = guard(s, () -> VsotSender.challenge(s.sender, in.choices()));
        return new Step<>(s, new SetupMessages.Round3(s.self, s.peer, r.message()));
    }

    public static Step<PairSetupState, SetupMessages.Round4> round4(PairSetupState s, SetupMessages.Round3 in)
            throws DklsAbort {
        s.advance(3);
        route(s, in.from(), in.to());
        Step<VsotReceiver, Vsot.ResponsesMsg> r = guard(s, () -> VsotReceiver.respond(s.receiver, in.challenges()));
        return new Step<>(s, new SetupMessages.Round4(s.self, s.peer, r.message()));
    }

    public static Step<PairSetupState, SetupMessages.Round5> round5(PairSetupState s, SetupMessages.Round4 in)
            throws DklsAbort {
        s.advance(4);
        route(s, in.from(), in.to());
        Step<OtSenderOutput, Vsot.OpeningsMsg> r = guard(s, () -> VsotSender.open(s.sender, in.responses()));
        s.senderOutput = r.state();
        return new Step<>(s, new SetupMessages.Round5(s.self, s.peer, r.message(), s.seedShare));
    }

    /** Checks the peer's openings and seed opening; the result is this party's secret setup with the peer. */
    public static PairwiseSetupOutput finish(PairSetupState s, SetupMessages.Round5 in) throws DklsAbort {
        s.advance(5);
        route(s, in.from(), in.to());
        OtReceiverOutput received = guard(s, () -> VsotReceiver.finish(s.receiver, in.openings()));
        byte[] peerShare = in.seedShare();
        // DKLs23 Functionality 3.4 (zero-sharing); the paper's setup for it (§3.1), quoted: "each pair of
        // parties commits and decommits a pair of λc-bit seeds to one another, then sums the pair to form a
        // single shared seed." Here the pair's seed is a hash of both shares rather than their sum. The
        // peer's opening must match the commitment it sent in round 1, before it saw our share, so neither
        // side can choose the seed as a function of the other's share.
        if (peerShare.length != SEED
                || !MessageDigest.isEqual(commitment(s.setupId, s.peer, peerShare), s.peerCommitment)) {
            received.destroy();
            throw abort(s, new DklsError.BadSeedOpening(s.peer));
        }
        byte[] low = s.self < s.peer ? s.seedShare : peerShare;
        byte[] high = s.self < s.peer ? peerShare : s.seedShare;
        byte[] zeroSeed = Hash.of("setup/zero-seed", s.setupId, low, high);
        java.util.Arrays.fill(peerShare, (byte) 0);
        PairwiseSetupOutput out = new PairwiseSetupOutput(s.self, s.peer, s.setupId, s.senderOutput.copy(),
                received, zeroSeed);
        s.destroy();
        return out;
    }

    /** The session id of the VSOT run where {@code sender} sends to {@code receiver}. */
    static byte[] otSid(byte[] setupId, int sender, int receiver) {
        return Hash.of("setup/vsot", setupId, Hash.u32(sender), Hash.u32(receiver));
    }

    static byte[] commitment(byte[] setupId, int owner, byte[] seedShare) {
        return Hash.of("setup/seed-commitment", setupId, Hash.u32(owner), seedShare);
    }

    private static void route(PairSetupState s, int from, int to) throws DklsAbort {
        if (from != s.peer || to != s.self) {
            throw abort(s, new DklsError.WrongPeer(from, s.peer));
        }
    }

    private static DklsAbort abort(PairSetupState s, DklsError e) {
        s.destroy();
        return new DklsAbort(e);
    }

    private interface Round<T> {
        T run() throws DklsAbort;
    }

    /** Runs a VSOT round; its abort (which names the peer) wipes the whole setup state too. */
    private static <T> T guard(PairSetupState s, Round<T> r) throws DklsAbort {
        try {
            return r.run();
        } catch (DklsAbort e) {
            s.destroy();
            throw e;
        }
    }
}
