package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * SECRET state of the receiver of one batched VSOT run ({@link Vsot}), with random choice bits ω_k. Each
 * round takes the state and the sender's message and returns the next state and the message to send; a
 * state answers one round only (a second call throws {@link IllegalStateException}). Any abort, or
 * {@link #destroy()}, wipes it.
 *
 * <p>Side channels: a_k·B is a variable-base multiplication by the secret a_k, done with {@link Curve#mul},
 * which the DKG's curve documents as variable time; A_k is selected by indexing with ω_k (see the README).
 */
public final class VsotReceiver implements Destroyable {
    private static final Curve C = Vsot.CURVE;
    private enum Stage { INIT, CHOSEN, RESPONDED, DONE }

    private final byte[] sid;
    private final int peer;
    private final int count;
    private final byte[] choices;
    private byte[] pads;
    private byte[] padHashes;
    private byte[] challenges;
    private Stage stage = Stage.INIT;

    private VsotReceiver(byte[] sid, int peer, int count, byte[] choices) {
        this.sid = sid;
        this.peer = peer;
        this.count = count;
        this.choices = choices;
    }

    /**
     * The receiver before round 2: draws its random choice bits.
     *
     * @param sid the run's 32-byte session id, the same as the sender's
     * @param peer the sender's participant identifier (named as culprit when its messages fail)
     * @param count the number of OTs, a positive multiple of 8
     */
    public static VsotReceiver start(byte[] sid, int peer, int count, SecureRandom rng) {
        Vsot.checkSid(sid);
        if (count <= 0 || count % 8 != 0) {
            throw new IllegalArgumentException("OT count must be a positive multiple of 8");
        }
        byte[] choices = new byte[count / 8];
        rng.nextBytes(choices);
        return new VsotReceiver(sid.clone(), peer, count, choices);
    }

    /** Round 2: checks the sender's proof, then sends A_k = a_k·G + ω_k·B and keeps ρω_k = H(k, a_k·B). */
    public static Step<VsotReceiver, Vsot.ChoicesMsg> choose(VsotReceiver r, Vsot.KeyMsg msg, SecureRandom rng)
            throws DklsAbort {
        r.advance(Stage.INIT, Stage.CHOSEN);
        GroupElement bigB;
        try {
            bigB = C.decodePoint(msg.publicKey());
        } catch (InvalidEncodingException e) {
            throw r.abort(new DklsError.MalformedMessage(r.peer, "sender key is not a valid point"));
        }
        // Check 1, DKLs18 Protocol 7 (Verified Simplest OT), receiver's first step, paraphrased: the
        // receiver verifies the sender's proof of knowledge of the discrete log of B and aborts if it fails.
        // It makes the sender's key extractable, which the simulation against a corrupt sender needs.
        if (!msg.proof().verify(C, bigB, Vsot.proofContext(r.sid))) {
            throw r.abort(new DklsError.InvalidDlogProof(r.peer));
        }
        byte[] points = new byte[r.count * Vsot.POINT];
        byte[] p = new byte[r.count * Vsot.PAD];
        for (int k = 0; k < r.count; k++) {
            Scalar a = C.randomScalar(rng);
            try {
                // Both candidates are computed and encoded, and A_k's encoding is picked with a byte mask:
                // A_k is public once sent (and so is a_k·G = A_k − B), only ω_k must not show in the timing.
                GroupElement option0 = C.mulBase(a);
                byte[] enc0 = C.encodePoint(option0);
                byte[] enc1 = C.encodePoint(C.add(option0, bigB));
                byte[] chosen = Hash.select(OtReceiverOutput.bit(r.choices, k), enc0, enc1);
                System.arraycopy(chosen, 0, points, k * Vsot.POINT, Vsot.POINT);
                byte[] rho = Vsot.pad(r.sid, k, C.encodePoint(C.mulSecret(bigB, a)));
                System.arraycopy(rho, 0, p, k * Vsot.PAD, Vsot.PAD);
                Arrays.fill(rho, (byte) 0);
            } finally {
                a.destroy();
            }
        }
        r.pads = p;
        return new Step<>(r, new Vsot.ChoicesMsg(points));
    }

    /** Round 4: answers each challenge with r_k = H(H(ρω_k)) ⊕ ω_k·ξ_k (selected in constant time). */
    public static Step<VsotReceiver, Vsot.ResponsesMsg> respond(VsotReceiver r, Vsot.ChallengesMsg msg)
            throws DklsAbort {
        r.advance(Stage.CHOSEN, Stage.RESPONDED);
        byte[] xi = msg.challenges();
        if (xi.length != r.count * Vsot.PAD) {
            throw r.abort(new DklsError.MalformedMessage(r.peer,
                    "expected " + r.count + " challenges, got " + xi.length + " bytes"));
        }
        byte[] responses = new byte[r.count * Vsot.PAD];
        byte[] hashes = new byte[r.count * Vsot.PAD];
        for (int k = 0; k < r.count; k++) {
            byte[] h1 = Vsot.h1(r.sid, k, Vsot.slice(r.pads, k, Vsot.PAD));
            byte[] h2 = Vsot.h2(r.sid, k, h1);
            byte[] resp = Hash.select(OtReceiverOutput.bit(r.choices, k), h2, Hash.xor(h2, Vsot.slice(xi, k, Vsot.PAD)));
            System.arraycopy(resp, 0, responses, k * Vsot.PAD, Vsot.PAD);
            System.arraycopy(h1, 0, hashes, k * Vsot.PAD, Vsot.PAD);
        }
        r.padHashes = hashes;
        r.challenges = xi;
        return new Step<>(r, new Vsot.ResponsesMsg(responses));
    }

    /** Round 5 (receiver's end): checks the sender's openings against its pads and the challenges. */
    public static OtReceiverOutput finish(VsotReceiver r, Vsot.OpeningsMsg msg) throws DklsAbort {
        r.advance(Stage.RESPONDED, Stage.DONE);
        byte[] openings = msg.openings();
        if (openings.length != r.count * 2 * Vsot.PAD) {
            throw r.abort(new DklsError.MalformedMessage(r.peer,
                    "expected " + r.count + " openings, got " + openings.length + " bytes"));
        }
        for (int k = 0; k < r.count; k++) {
            byte[] open0 = Vsot.slice(openings, 2 * k, Vsot.PAD);
            byte[] open1 = Vsot.slice(openings, 2 * k + 1, Vsot.PAD);
            byte[] mine = Hash.select(OtReceiverOutput.bit(r.choices, k), open0, open1);
            // Check 3, DKLs18 Protocol 7 (Verified Simplest OT), receiver's verification step, paraphrased:
            // the receiver aborts unless the opening for its choice equals its own H(ρω), and the challenge
            // it was sent equals H(opening_0) ⊕ H(opening_1). A sender that sent a wrong challenge ξ to see
            // whether the response changes (which reveals ω) is caught here, so the run aborts and its
            // choice bits are never used.
            boolean opensMine = MessageDigest.isEqual(mine, Vsot.slice(r.padHashes, k, Vsot.PAD));
            boolean challengeConsistent = MessageDigest.isEqual(Vsot.slice(r.challenges, k, Vsot.PAD),
                    Hash.xor(Vsot.h2(r.sid, k, open0), Vsot.h2(r.sid, k, open1)));
            if (!(opensMine & challengeConsistent)) {
                throw r.abort(new DklsError.WrongChallengeOpening(r.peer, k));
            }
        }
        OtReceiverOutput out = new OtReceiverOutput(r.count, r.choices.clone(), r.pads);
        r.pads = null;
        r.destroy();
        return out;
    }

    /** ω_k (module-internal; the tests use it to aim a corruption at one choice). */
    int choiceBit(int k) {
        return OtReceiverOutput.bit(choices, k);
    }

    private synchronized void advance(Stage expected, Stage next) {
        if (stage != expected) {
            throw new IllegalStateException("VSOT receiver state is at " + stage + ", not " + expected);
        }
        stage = next;
    }

    private DklsAbort abort(DklsError error) {
        destroy();
        return new DklsAbort(error);
    }

    @Override
    public synchronized void destroy() {
        Arrays.fill(choices, (byte) 0);
        if (pads != null) {
            Arrays.fill(pads, (byte) 0);
            pads = null;
        }
        if (padHashes != null) {
            Arrays.fill(padHashes, (byte) 0);
            padHashes = null;
        }
        stage = Stage.DONE;
    }

    @Override
    public boolean isDestroyed() {
        return stage == Stage.DONE && pads == null;
    }

    @Override
    public String toString() {
        return "VsotReceiver[peer=" + peer + ", " + count + " OTs, REDACTED]";
    }
}
