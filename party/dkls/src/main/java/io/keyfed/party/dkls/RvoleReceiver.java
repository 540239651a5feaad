package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/** SECRET state of the random vector OLE's receiver (Bob) between its two steps; see {@link Rvole}. */
public final class RvoleReceiver implements Destroyable {
    private static final Curve C = SoftSpoken.C;

    private final PairwiseSetupOutput setup;
    private final byte[] sid;
    private final int l;
    private final byte[] beta;
    private final Scalar b;
    private final SoftSpokenReceiver ot;
    /** H(sid, EXTEND) of the message step 1 sent, for the transcript θ is bound to. */
    private final byte[] extendDigest;

    private RvoleReceiver(PairwiseSetupOutput setup, byte[] sid, int l, byte[] beta, Scalar b, SoftSpokenReceiver ot,
            byte[] extendDigest) {
        this.extendDigest = extendDigest;
        this.setup = setup;
        this.sid = sid;
        this.l = l;
        this.beta = beta;
        this.b = b;
        this.ot = ot;
    }

    /** Step 1: draws β, b = Σ β_j·g_j, and extends the OTs with choices β (width l + 1). */
    public static Step<RvoleReceiver, SoftSpoken.ExtendMsg> start(PairwiseSetupOutput setup, byte[] sessionId, int l,
            SecureRandom rng) throws DklsAbort {
        if (l <= 0) {
            throw new IllegalArgumentException("at least one input");
        }
        byte[] beta = new byte[Rvole.XI / 8];
        rng.nextBytes(beta);
        byte[] sid = SoftSpoken.sid(sessionId, setup.setupId(), setup.peer(), setup.self());
        Scalar b = C.scalarOf(0);
        for (int j = 0; j < Rvole.XI; j++) {
            Scalar bit = C.scalarOf((beta[j >>> 3] >>> (j & 7)) & 1);
            Scalar next = C.scalarMulAdd(bit, Rvole.gadget(sid, j), b);
            b.destroy();
            bit.destroy();
            b = next;
        }
        Step<SoftSpokenReceiver, SoftSpoken.ExtendMsg> ext =
                SoftSpokenReceiver.extend(setup, sessionId, beta, Rvole.XI, l + 1, rng);
        return new Step<>(new RvoleReceiver(setup, sid, l, beta, b, ext.state(),
                Rvole.extendDigest(sid, ext.message())), ext.message());
    }

    /**
     * Step 2: checks Alice's correlation and returns d_1..d_l and b. A failed check marks the setup
     * unusable and names Alice.
     */
    public static RvoleOutput finish(RvoleReceiver r, Rvole.SenderMsg msg) throws DklsAbort {
        int alice = r.setup.peer();
        CotOutput t = null;
        Scalar etaPrime = null;
        try {
            t = SoftSpokenReceiver.finish(r.ot, msg.cot());
            try {
                etaPrime = C.decodeScalar(msg.etaPrime());
            } catch (InvalidEncodingException e) {
                throw new DklsAbort(new DklsError.MalformedMessage(alice, "η' is not a canonical scalar"));
            }
            byte[] transcript = Rvole.transcript(r.sid, r.extendDigest, msg.cot().tau());
            Scalar[] theta = Rvole.theta(r.sid, transcript, r.l);
            MessageDigest mu = Rvole.muDigest(r.sid, transcript);
            for (int j = 0; j < Rvole.XI; j++) {
                Scalar v = Rvole.rowCombination(t, j, theta);
                Scalar bit = C.scalarOf((r.beta[j >>> 3] >>> (j & 7)) & 1);
                Scalar minusBit = C.scalarNegate(bit);
                Scalar w = C.scalarMulAdd(minusBit, etaPrime, v);
                mu.update(C.encodeScalar(w));
                v.destroy();
                bit.destroy();
                minusBit.destroy();
                w.destroy();
            }
            // Multiplication check. DKLs23 Protocol 5.2 step 4, quoted: Bob "checks whether µ =
            // RO{0,1}2λc(sid, µ′). If this check fails then Bob aborts." (µ′ is, for every OT j,
            // Σ_i θ_i·ḋ_{j,i} + d̂_j − β_j·η, written out in Rvole's Javadoc; it equals Alice's µ exactly
            // when OT j carried the same inputs as η commits to.) Source of the quotation: the module
            // README, "Quotations".
            if (!MessageDigest.isEqual(mu.digest(), msg.mu())) {
                r.setup.markUnusable(alice);
                throw new DklsAbort(new DklsError.MultiplicationCheck(alice));
            }
            Scalar[] d = Rvole.gadgetSums(r.sid, t, r.l);
            return new RvoleOutput(d, r.b.copy());
        } finally {
            if (t != null) {
                t.destroy();
            }
            if (etaPrime != null) {
                etaPrime.destroy();
            }
            r.destroy();
        }
    }

    /** The random b (held, not a copy), known from step 1 on. */
    Scalar b() {
        return b;
    }

    /** β_j (module-internal, for the tests). */
    int betaBit(int j) {
        return (beta[j >>> 3] >>> (j & 7)) & 1;
    }

    @Override
    public void destroy() {
        Arrays.fill(beta, (byte) 0);
        b.destroy();
        ot.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return b.isDestroyed();
    }

    @Override
    public String toString() {
        return "RvoleReceiver[sender=" + setup.peer() + ", REDACTED]";
    }
}
