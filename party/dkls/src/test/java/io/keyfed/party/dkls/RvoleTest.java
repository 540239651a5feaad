package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The random vector OLE: c_i + d_i = a_i·b, and its check catching an inconsistent sender. */
class RvoleTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    static final int P = 4;
    static final int Q = 7;
    static final SecureRandom RNG = new SecureRandom();
    static PairwiseSetupOutput[] shared;
    final byte[] sessionId = random(32);

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    @BeforeAll
    static void setUp() throws DklsAbort {
        shared = TestSetups.pair(RNG, random(32), P, Q);
    }

    static Scalar[] inputs(int l) {
        Scalar[] a = new Scalar[l];
        for (int i = 0; i < l; i++) {
            a[i] = C.randomScalar(RNG);
        }
        return a;
    }

    /** Bob's output after one run, Alice's message passed through {@code tamper}; {Alice's, Bob's}. */
    RvoleOutput[] run(PairwiseSetupOutput bob, PairwiseSetupOutput alice, Scalar[] a,
            UnaryOperator<Rvole.SenderMsg> tamper, int[] betaProbe) throws DklsAbort {
        var b1 = RvoleReceiver.start(bob, sessionId, a.length, RNG);
        if (betaProbe != null) {
            betaProbe[1] = b1.state().betaBit(betaProbe[0]);
        }
        var a1 = RvoleSender.respond(alice, sessionId, b1.message(), a, RNG);
        return new RvoleOutput[] {a1.state(), RvoleReceiver.finish(b1.state(), tamper.apply(a1.message()))};
    }

    static void assertProducts(RvoleOutput alice, RvoleOutput bob, Scalar[] a) {
        for (int i = 0; i < a.length; i++) {
            assertEquals(C.scalarMul(a[i], bob.b()), C.scalarAdd(alice.share(i), bob.share(i)), "product " + i);
        }
    }

    @Test
    void sharesAddUpToTheProductsInBothDirections() throws DklsAbort {
        Scalar[] a = inputs(2);
        RvoleOutput[] pq = run(shared[0], shared[1], a, UnaryOperator.identity(), null);
        assertProducts(pq[0], pq[1], a);
        RvoleOutput[] qp = run(shared[1], shared[0], a, UnaryOperator.identity(), null);
        assertProducts(qp[0], qp[1], a);
        assertFalse(pq[1].b().equals(qp[1].b()), "b is fresh in every run");
    }

    /**
     * Selective failure: a sender that uses another input in one OT j (a_0 + 1 there, a everywhere else,
     * and η' computed for a) makes the abort depend on β_j alone. With Alice's secret fixed, over 100 runs
     * β_j takes both values, the run aborts exactly when β_j = 1, and at least one run aborts (so the test
     * cannot pass with the check removed).
     */
    @Test
    void anInconsistentInputInOneOtAbortsExactlyWhenThatChoiceBitIsOne() throws DklsAbort {
        Scalar[] a = inputs(2);
        int j = 37;
        Scalar[][] rows = new Scalar[Rvole.XI][];
        java.util.Arrays.fill(rows, a);
        rows[j] = new Scalar[] {C.scalarAdd(a[0], C.scalarOf(1)), a[1]};
        int[] seen = new int[2];
        int aborts = 0;
        for (int run = 0; run < 100; run++) {
            PairwiseSetupOutput bob = shared[0].copy();
            var b1 = RvoleReceiver.start(bob, sessionId, 2, RNG);
            int betaJ = b1.state().betaBit(j);
            var a1 = RvoleSender.respondRows(shared[1], sessionId, b1.message(), rows, a, RNG);
            boolean aborted;
            try {
                RvoleReceiver.finish(b1.state(), a1.message());
                aborted = false;
            } catch (DklsAbort e) {
                assertEquals(new DklsError.MultiplicationCheck(Q), e.error());
                assertFalse(bob.isUsable(), "a failed multiplication check marks the setup unusable");
                aborted = true;
            }
            seen[betaJ]++;
            aborts += aborted ? 1 : 0;
            assertEquals(betaJ == 1, aborted, "run " + run + ": abort iff β_j = 1");
            RNG.nextBytes(sessionId);
        }
        assertTrue(seen[0] > 0 && seen[1] > 0, "β_j took both values: " + seen[0] + "/" + seen[1]);
        assertTrue(aborts > 0);
    }

    /** The same sender changing the correlation message in transit instead is caught whatever β is. */
    @Test
    void aCorrelationChangedAfterTheChecksWereComputedIsCaught() throws DklsAbort {
        PairwiseSetupOutput bob = shared[0].copy();
        UnaryOperator<Rvole.SenderMsg> shift = m -> {
            byte[] tau = m.cot().tau();
            tau[5 * 32 + 31] ^= 1; // low bit of OT 1, position 2 (η): still canonical
            return new Rvole.SenderMsg(new SoftSpoken.CotMsg(tau), m.etaPrime(), m.mu());
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(bob, shared[1], inputs(2), shift, null));
        assertEquals(new DklsError.MultiplicationCheck(Q), e.error());
    }

    @Test
    void aWrongCorrelationCheckValueIsCaughtNamingTheSender() throws DklsAbort {
        PairwiseSetupOutput bob = shared[0].copy();
        UnaryOperator<Rvole.SenderMsg> wrongEta = m -> {
            byte[] eta = m.etaPrime();
            eta[31] ^= 1;
            return new Rvole.SenderMsg(m.cot(), eta, m.mu());
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(bob, shared[1], inputs(2), wrongEta, null));
        assertEquals(new DklsError.MultiplicationCheck(Q), e.error());
        assertEquals(new DklsError.SetupUnusable(Q),
                assertThrows(DklsAbort.class, () -> RvoleReceiver.start(bob, sessionId, 2, RNG)).error());
    }

    @Test
    void aTamperedCheckHashIsCaught() throws DklsAbort {
        PairwiseSetupOutput bob = shared[0].copy();
        UnaryOperator<Rvole.SenderMsg> wrongMu = m -> {
            byte[] mu = m.mu();
            mu[0] ^= 1;
            return new Rvole.SenderMsg(m.cot(), m.etaPrime(), mu);
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> run(bob, shared[1], inputs(2), wrongMu, null));
        assertEquals(new DklsError.MultiplicationCheck(Q), e.error());
    }

    @Test
    void outputsNeverPrintSecrets() throws DklsAbort {
        RvoleOutput[] out = run(shared[0], shared[1], inputs(1), UnaryOperator.identity(), null);
        assertTrue(out[0].toString().contains("REDACTED") && out[1].toString().contains("REDACTED"));
        out[1].destroy();
        assertThrows(IllegalStateException.class, out[1]::b);
    }
}
