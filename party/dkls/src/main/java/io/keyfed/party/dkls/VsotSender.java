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
 * SECRET state of the sender of one batched VSOT run ({@link Vsot}). Each round takes the state and the
 * peer's message and returns the next state and the message to send; a state answers one round only
 * (a second call throws {@link IllegalStateException}). Any abort, or {@link #destroy()}, wipes it.
 *
 * <p>Side channels: b·A_k is a variable-base multiplication by the secret b, done with {@link Curve#mul},
 * which the DKG's curve documents as variable time (see the module README).
 */
public final class VsotSender implements Destroyable {
    private static final Curve C = Vsot.CURVE;
    private enum Stage { KEY_SENT, CHALLENGED, DONE }

    private final byte[] sid;
    private final int peer;
    private final int count;
    private final Scalar b;
    private final GroupElement bigB;
    private byte[] pads0;
    private byte[] pads1;
    private Stage stage = Stage.KEY_SENT;

    private VsotSender(byte[] sid, int peer, int count, Scalar b, GroupElement bigB) {
        this.sid = sid;
        this.peer = peer;
        this.count = count;
        this.b = b;
        this.bigB = bigB;
    }

    /**
     * Round 1: draws b, sends B = b·G with a proof of knowledge of b bound to {@code sid}.
     *
     * @param sid the run's 32-byte session id, which both sides must agree on (binds every hash)
     * @param peer the receiver's participant identifier (named as culprit when its messages fail)
     * @param count the number of OTs, a positive multiple of 8
     */
    public static Step<VsotSender, Vsot.KeyMsg> start(byte[] sid, int peer, int count, SecureRandom rng) {
        Vsot.checkSid(sid);
        if (count <= 0 || count % 8 != 0) {
            throw new IllegalArgumentException("OT count must be a positive multiple of 8");
        }
        Scalar b = C.randomScalar(rng);
        GroupElement bigB = C.mulBase(b);
        DlogProof proof = DlogProof.prove(C, b, bigB, Vsot.proofContext(sid), rng);
        VsotSender s = new VsotSender(sid.clone(), peer, count, b, bigB);
        return new Step<>(s, new Vsot.KeyMsg(C.encodePoint(bigB), proof));
    }

    /** Round 3: from the receiver's choices A_k, the pads ρ0_k, ρ1_k and the challenges ξ_k. */
    public static Step<VsotSender, Vsot.ChallengesMsg> challenge(VsotSender s, Vsot.ChoicesMsg msg)
            throws DklsAbort {
        s.advance(Stage.KEY_SENT, Stage.CHALLENGED);
        byte[] points = msg.points();
        if (points.length != s.count * Vsot.POINT) {
            throw s.abort(new DklsError.MalformedMessage(s.peer,
                    "expected " + s.count + " encoded choices, got " + points.length + " bytes"));
        }
        GroupElement minusB = C.mulBase(C.scalarNegate(s.b));
        byte[] p0 = new byte[s.count * Vsot.PAD];
        byte[] p1 = new byte[s.count * Vsot.PAD];
        byte[] challenges = new byte[s.count * Vsot.PAD];
        for (int k = 0; k < s.count; k++) {
            GroupElement a;
            try {
                // decodePoint validates: on the curve, canonical, not the identity
                a = C.decodePoint(Vsot.slice(points, k, Vsot.POINT));
            } catch (InvalidEncodingException e) {
                throw s.abort(new DklsError.MalformedMessage(s.peer, "encoded choice " + k + " is not a valid point"));
            }
            if (a.equals(s.bigB)) {
                // A_k = B would make A_k − B the identity, which has no encoding; an honest receiver never
                // sends it (a_k ≠ 0)
                throw s.abort(new DklsError.DegenerateChoice(s.peer, k));
            }
            byte[] rho0 = Vsot.pad(s.sid, k, C.encodePoint(C.mulSecret(a, s.b)));
            byte[] rho1 = Vsot.pad(s.sid, k, C.encodePoint(C.mulSecret(C.add(a, minusB), s.b)));
            byte[] xi = Hash.xor(Vsot.h2(s.sid, k, Vsot.h1(s.sid, k, rho0)), Vsot.h2(s.sid, k, Vsot.h1(s.sid, k, rho1)));
            System.arraycopy(rho0, 0, p0, k * Vsot.PAD, Vsot.PAD);
            System.arraycopy(rho1, 0, p1, k * Vsot.PAD, Vsot.PAD);
            System.arraycopy(xi, 0, challenges, k * Vsot.PAD, Vsot.PAD);
            Arrays.fill(rho0, (byte) 0);
            Arrays.fill(rho1, (byte) 0);
        }
        s.pads0 = p0;
        s.pads1 = p1;
        s.b.destroy(); // b is no longer needed
        return new Step<>(s, new Vsot.ChallengesMsg(challenges));
    }

    /**
     * Round 5: checks every response, then opens H(ρ0_k), H(ρ1_k) and outputs the pads. Aborts, naming the
     * receiver, when a response is wrong.
     */
    public static Step<OtSenderOutput, Vsot.OpeningsMsg> open(VsotSender s, Vsot.ResponsesMsg msg)
            throws DklsAbort {
        s.advance(Stage.CHALLENGED, Stage.DONE);
        byte[] responses = msg.responses();
        if (responses.length != s.count * Vsot.PAD) {
            throw s.abort(new DklsError.MalformedMessage(s.peer,
                    "expected " + s.count + " responses, got " + responses.length + " bytes"));
        }
        byte[] openings = new byte[s.count * 2 * Vsot.PAD];
        for (int k = 0; k < s.count; k++) {
            byte[] h0 = Vsot.h1(s.sid, k, Vsot.slice(s.pads0, k, Vsot.PAD));
            byte[] h1 = Vsot.h1(s.sid, k, Vsot.slice(s.pads1, k, Vsot.PAD));
            // Check 2, DKLs18 Protocol 7 (Verified Simplest OT), sender's verification step, paraphrased:
            // the sender aborts unless the receiver's response equals H(H(ρ0)). An honest receiver answers
            // H(H(ρω)) ⊕ ω·ξ, which is H(H(ρ0)) for either ω; one who cannot produce it does not hold a
            // pad consistent with the A_k it sent.
            if (!MessageDigest.isEqual(Vsot.slice(responses, k, Vsot.PAD), Vsot.h2(s.sid, k, h0))) {
                throw s.abort(new DklsError.WrongChallengeResponse(s.peer, k));
            }
            System.arraycopy(h0, 0, openings, 2 * k * Vsot.PAD, Vsot.PAD);
            System.arraycopy(h1, 0, openings, (2 * k + 1) * Vsot.PAD, Vsot.PAD);
        }
        OtSenderOutput out = new OtSenderOutput(s.count, s.pads0, s.pads1);
        s.pads0 = null;
        s.pads1 = null;
        return new Step<>(out, new Vsot.OpeningsMsg(openings));
    }

    private synchronized void advance(Stage expected, Stage next) {
        if (stage != expected) {
            throw new IllegalStateException("VSOT sender state is at " + stage + ", not " + expected);
        }
        stage = next;
    }

    private DklsAbort abort(DklsError error) {
        destroy();
        return new DklsAbort(error);
    }

    @Override
    public synchronized void destroy() {
        b.destroy();
        if (pads0 != null) {
            Arrays.fill(pads0, (byte) 0);
            Arrays.fill(pads1, (byte) 0);
            pads0 = null;
            pads1 = null;
        }
        stage = Stage.DONE;
    }

    @Override
    public boolean isDestroyed() {
        return b.isDestroyed() && pads0 == null;
    }

    @Override
    public String toString() {
        return "VsotSender[peer=" + peer + ", " + count + " OTs, REDACTED]";
    }
}
