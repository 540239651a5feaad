package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** The random vector OLE's sender (Alice), one step; see {@link Rvole}. */
public final class RvoleSender {
    private static final Curve C = SoftSpoken.C;

    private RvoleSender() {}

    /**
     * From Bob's EXTEND message and the inputs a_1..a_l (owned by the caller): Alice's shares c_i and the
     * message for Bob. A failed SoftSpokenOT check marks {@code setup} unusable (see {@link SoftSpokenSender}).
     */
    public static Step<RvoleOutput, Rvole.SenderMsg> respond(PairwiseSetupOutput setup, byte[] sessionId,
            SoftSpoken.ExtendMsg extend, Scalar[] a, SecureRandom rng) throws DklsAbort {
        if (a.length == 0) {
            throw new IllegalArgumentException("at least one input");
        }
        Scalar[][] rows = new Scalar[Rvole.XI][];
        java.util.Arrays.fill(rows, a);
        return respondRows(setup, sessionId, extend, rows, a, rng);
    }

    /**
     * As {@link #respond}, with the inputs of each OT given separately ({@code rows[j]}, l scalars) while
     * η' is computed from {@code a}. An honest sender passes a in every row; the tests use this to play a
     * sender whose input differs in one OT.
     */
    static Step<RvoleOutput, Rvole.SenderMsg> respondRows(PairwiseSetupOutput setup, byte[] sessionId,
            SoftSpoken.ExtendMsg extend, Scalar[][] rows, Scalar[] a, SecureRandom rng) throws DklsAbort {
        int l = a.length;
        Scalar eta = C.randomScalar(rng);
        Scalar[][] inputs = new Scalar[Rvole.XI][];
        for (int j = 0; j < Rvole.XI; j++) {
            Scalar[] row = new Scalar[l + 1];
            System.arraycopy(rows[j], 0, row, 0, l);
            row[l] = eta;
            inputs[j] = row;
        }
        Step<CotOutput, SoftSpoken.CotMsg> cot;
        try {
            cot = SoftSpokenSender.respond(setup, sessionId, extend, inputs);
        } catch (DklsAbort e) {
            eta.destroy();
            throw e;
        }
        CotOutput t = cot.state();
        byte[] sid = SoftSpoken.sid(sessionId, setup.setupId(), setup.self(), setup.peer());
        byte[] transcript = Rvole.transcript(sid, Rvole.extendDigest(sid, extend), cot.message().tau());
        Scalar[] theta = Rvole.theta(sid, transcript, l);

        // η' = η + Σ θ_i·a_i
        Scalar etaPrime = eta.copy();
        for (int i = 0; i < l; i++) {
            Scalar next = C.scalarMulAdd(theta[i], a[i], etaPrime);
            etaPrime.destroy();
            etaPrime = next;
        }
        eta.destroy();

        MessageDigest mu = Rvole.muDigest(sid, transcript);
        for (int j = 0; j < Rvole.XI; j++) {
            Scalar v = Rvole.rowCombination(t, j, theta);
            Scalar minusV = C.scalarNegate(v);
            mu.update(C.encodeScalar(minusV));
            v.destroy();
            minusV.destroy();
        }
        Scalar[] c = Rvole.gadgetSums(sid, t, l);
        t.destroy();
        byte[] etaBytes = C.encodeScalar(etaPrime);
        etaPrime.destroy();
        return new Step<>(new RvoleOutput(c, null), new Rvole.SenderMsg(cot.message(), etaBytes, mu.digest()));
    }
}
