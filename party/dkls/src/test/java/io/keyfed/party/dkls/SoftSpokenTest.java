package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SoftSpokenOT over the pairwise setup: correlated OTs with t^A + t^B = x·α, bound to the session, and the
 * consistency check catching a receiver whose rows encode inconsistent choice bits.
 */
class SoftSpokenTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    static final int P = 1;
    static final int Q = 2;
    static final int COUNT = 256;
    static final int WIDTH = 2;
    static final SecureRandom RNG = new SecureRandom();
    static PairwiseSetupOutput[] shared;
    final byte[] sessionId = random(32);

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    /** One honest setup for the tests that leave it usable (a setup costs two base-OT runs). */
    @BeforeAll
    static void setUp() throws DklsAbort {
        shared = TestSetups.pair(RNG, random(32), P, Q);
    }

    static PairwiseSetupOutput[] freshSetup() throws DklsAbort {
        return TestSetups.pair(RNG, random(32), P, Q);
    }

    static Scalar[][] inputs() {
        Scalar[][] a = new Scalar[COUNT][WIDTH];
        for (Scalar[] row : a) {
            for (int c = 0; c < WIDTH; c++) {
                row[c] = C.randomScalar(RNG);
            }
        }
        return a;
    }

    static int bit(byte[] packed, int j) {
        return (packed[j >>> 3] >>> (j & 7)) & 1;
    }

    /** Asserts t^A_{j,c} + t^B_{j,c} = x_j·α_{j,c} for every OT. */
    static void assertCorrelated(CotOutput alice, CotOutput bob, byte[] choices, Scalar[][] alpha) {
        assertEquals(COUNT, alice.count());
        assertEquals(WIDTH, bob.width());
        for (int j = 0; j < COUNT; j++) {
            for (int c = 0; c < WIDTH; c++) {
                Scalar sum = C.scalarAdd(alice.share(j, c), bob.share(j, c));
                Scalar expected = bit(choices, j) == 1 ? alpha[j][c] : C.scalarOf(0);
                assertEquals(expected, sum, "OT " + j + "/" + c);
            }
        }
    }

    /** Bob is {@code bobSide}'s party, Alice the other; returns {Alice's output, Bob's output}. */
    CotOutput[] run(PairwiseSetupOutput bob, PairwiseSetupOutput alice, byte[] choices, Scalar[][] alpha)
            throws DklsAbort {
        var b1 = SoftSpokenReceiver.extend(bob, sessionId, choices, COUNT, WIDTH, RNG);
        var a1 = SoftSpokenSender.respond(alice, sessionId, b1.message(), alpha);
        return new CotOutput[] {a1.state(), SoftSpokenReceiver.finish(b1.state(), a1.message())};
    }

    @Test
    void correlatedOtsHoldInBothDirectionsOfAPair() throws DklsAbort {
        byte[] choices = random(COUNT / 8);
        Scalar[][] alpha = inputs();
        CotOutput[] pq = run(shared[0], shared[1], choices, alpha); // P receives, Q sends
        assertCorrelated(pq[0], pq[1], choices, alpha);
        CotOutput[] qp = run(shared[1], shared[0], choices, alpha); // Q receives, P sends
        assertCorrelated(qp[0], qp[1], choices, alpha);
        assertNotEquals(pq[0].share(0, 0), qp[0].share(0, 0), "the two directions are unrelated");
    }

    @Test
    void twoSessionsOverOneSetupGiveUnrelatedOts() throws DklsAbort {
        byte[] choices = random(COUNT / 8);
        Scalar[][] alpha = inputs();
        CotOutput first = run(shared[0], shared[1], choices, alpha)[0];
        RNG.nextBytes(sessionId);
        CotOutput second = run(shared[0], shared[1], choices, alpha)[0];
        for (int j = 0; j < 8; j++) {
            assertNotEquals(first.share(j, 0), second.share(j, 0));
        }
    }

    /**
     * TEST ONLY: a receiver that extends like the honest one, except that rows i &gt;= {@code split} encode
     * the choice vector {@code xb} while the other rows, and w', encode {@code xa}.
     */
    static SoftSpoken.ExtendMsg cheatingExtend(PairwiseSetupOutput bob, byte[] sessionId, byte[] xa, byte[] xb,
            int split) throws DklsAbort {
        OtSenderOutput base = bob.asSender();
        byte[] sid = SoftSpoken.sid(sessionId, bob.setupId(), bob.peer(), bob.self());
        int rowBytes = (COUNT + SoftSpoken.PAD_BITS) / 8;
        byte[] pad = random(16);
        byte[] xta = Arrays.copyOf(xa, rowBytes);
        byte[] xtb = Arrays.copyOf(xb, rowBytes);
        System.arraycopy(pad, 0, xta, COUNT / 8, 16);
        System.arraycopy(pad, 0, xtb, COUNT / 8, 16);
        byte[] u = new byte[SoftSpoken.KAPPA * rowBytes];
        byte[] v = new byte[SoftSpoken.KAPPA * rowBytes];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            byte[] x = i < split ? xta : xtb;
            byte[] r0 = SoftSpoken.prg(sid, i, base.pad0(i), rowBytes);
            byte[] r1 = SoftSpoken.prg(sid, i, base.pad1(i), rowBytes);
            for (int b = 0; b < rowBytes; b++) {
                u[i * rowBytes + b] = (byte) (r0[b] ^ r1[b] ^ x[b]);
                v[i * rowBytes + b] = r1[b];
            }
        }
        byte[][] chi = SoftSpoken.chi(sid, u, COUNT / 128);
        byte[] vPrime = new byte[SoftSpoken.KAPPA * 16];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            System.arraycopy(SoftSpoken.compress(v, i * rowBytes, chi), 0, vPrime, i * 16, 16);
        }
        return new SoftSpoken.ExtendMsg(u, SoftSpoken.compress(xta, 0, chi), vPrime);
    }

    /** The control for the next test: the same cheater with one choice vector everywhere passes. */
    @Test
    void theCheatingReceiverWithConsistentChoicesPassesTheCheck() throws DklsAbort {
        byte[] x = random(COUNT / 8);
        SoftSpoken.ExtendMsg msg = cheatingExtend(shared[0], sessionId, x, x, 128);
        var a1 = SoftSpokenSender.respond(shared[1], sessionId, msg, inputs());
        assertEquals(COUNT, a1.state().count());
        assertTrue(shared[1].isUsable());
    }

    @Test
    void aReceiverWithInconsistentChoiceBitsIsCaughtByTheSoftSpokenCheck() throws DklsAbort {
        PairwiseSetupOutput[] setup = freshSetup();
        byte[] xa = random(COUNT / 8);
        byte[] xb = xa.clone();
        xb[3] ^= 0x10; // one choice bit differs in rows 128..255
        SoftSpoken.ExtendMsg msg = cheatingExtend(setup[0], sessionId, xa, xb, 128);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> SoftSpokenSender.respond(setup[1], sessionId, msg, inputs()));
        assertEquals(new DklsError.OtConsistencyCheck(P), e.error());
        assertFalse(setup[1].isUsable(), "a failed OT check marks the pair's setup unusable");
    }

    @Test
    void afterAFailedCheckTheSetupRefusesAnotherSession() throws DklsAbort {
        PairwiseSetupOutput[] setup = freshSetup();
        byte[] u = new byte[SoftSpoken.KAPPA * (COUNT + 128) / 8];
        SoftSpoken.ExtendMsg garbage = new SoftSpoken.ExtendMsg(u, new byte[16], new byte[SoftSpoken.KAPPA * 16]);
        assertThrows(DklsAbort.class, () -> SoftSpokenSender.respond(setup[1], sessionId, garbage, inputs()));
        RNG.nextBytes(sessionId);
        var honest = SoftSpokenReceiver.extend(setup[0], sessionId, random(COUNT / 8), COUNT, WIDTH, RNG);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> SoftSpokenSender.respond(setup[1], sessionId, honest.message(), inputs()));
        assertEquals(new DklsError.SetupUnusable(P), e.error());
    }

    @Test
    void senderAndReceiverInDifferentSessionsFailTheCheck() throws DklsAbort {
        PairwiseSetupOutput[] setup = freshSetup();
        var b1 = SoftSpokenReceiver.extend(setup[0], random(32), random(COUNT / 8), COUNT, WIDTH, RNG);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> SoftSpokenSender.respond(setup[1], sessionId, b1.message(), inputs()));
        assertEquals(new DklsError.OtConsistencyCheck(P), e.error());
    }

    @Test
    void anExtensionOfTheWrongShapeIsMalformed() throws DklsAbort {
        var b1 = SoftSpokenReceiver.extend(shared[0], sessionId, random(COUNT / 8), COUNT, WIDTH, RNG);
        SoftSpoken.ExtendMsg m = b1.message();
        SoftSpoken.ExtendMsg shortU = new SoftSpoken.ExtendMsg(Arrays.copyOf(m.u(), m.u().length - 1), m.wPrime(),
                m.vPrime());
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> SoftSpokenSender.respond(shared[1], sessionId, shortU, inputs()));
        assertInstanceOf(DklsError.MalformedMessage.class, e.error());
        assertEquals(P, e.culprit());
        assertTrue(shared[1].isUsable(), "a malformed message reveals nothing about Δ");
    }

    @Test
    void aCorrelationThatIsNotCanonicalScalarsIsMalformed() throws DklsAbort {
        var b1 = SoftSpokenReceiver.extend(shared[0], sessionId, random(COUNT / 8), COUNT, WIDTH, RNG);
        var a1 = SoftSpokenSender.respond(shared[1], sessionId, b1.message(), inputs());
        byte[] tau = a1.message().tau();
        Arrays.fill(tau, 32, 64, (byte) 0xff);
        DklsAbort e = assertThrows(DklsAbort.class,
                () -> SoftSpokenReceiver.finish(b1.state(), new SoftSpoken.CotMsg(tau)));
        assertEquals(Q, e.culprit());
        assertTrue(b1.state().isDestroyed());
        assertThrows(IllegalStateException.class, () -> SoftSpokenReceiver.finish(b1.state(), a1.message()));
    }

    @Test
    void outputsAndStatesNeverPrintSecrets() throws DklsAbort {
        var b1 = SoftSpokenReceiver.extend(shared[0], sessionId, random(COUNT / 8), COUNT, WIDTH, RNG);
        var a1 = SoftSpokenSender.respond(shared[1], sessionId, b1.message(), inputs());
        assertTrue(b1.state().toString().contains("REDACTED"));
        assertTrue(a1.state().toString().contains("REDACTED"));
        a1.state().destroy();
        assertThrows(IllegalStateException.class, () -> a1.state().share(0, 0));
    }
}
