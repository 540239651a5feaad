package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The multiplication's check is bound to the whole OT-extension transcript: Bob's EXTEND as well as Alice's τ.
 * The EXTEND Alice gets here is Bob's with another random pad block (the 128 bits appended to the choices), w'
 * and v' recomputed for it: SoftSpokenOT's own check accepts it and the OTs correlate exactly as with Bob's
 * message, so only the binding of θ to the EXTEND bytes can tell the two sides apart.
 */
class RvoleTranscriptTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    static final int P = 3;
    static final int Q = 5;
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

    /**
     * Bob's EXTEND for {@code count} OTs with another pad block: u_i ⊕ e in the pad columns of every row, and w', v'
     * computed as Bob computes them, for the new χ. Built from Bob's setup (both pads of each base OT).
     */
    static SoftSpoken.ExtendMsg withAnotherPadBlock(PairwiseSetupOutput bob, byte[] sessionId,
            SoftSpoken.ExtendMsg honest, int count) throws DklsAbort {
        OtSenderOutput base = bob.asSender();
        byte[] sid = SoftSpoken.sid(sessionId, bob.setupId(), bob.peer(), bob.self());
        int rowBytes = (count + SoftSpoken.PAD_BITS) / 8;
        byte[] u = honest.u();
        byte[] v = new byte[SoftSpoken.KAPPA * rowBytes];
        byte[] xTilde = null;
        byte[] e = random(SoftSpoken.PAD_BITS / 8);
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            byte[] r0 = SoftSpoken.prg(sid, i, base.pad0(i), rowBytes);
            byte[] r1 = SoftSpoken.prg(sid, i, base.pad1(i), rowBytes);
            if (i == 0) { // u_0 = r_0,0 ⊕ r_0,1 ⊕ x̃
                xTilde = new byte[rowBytes];
                for (int b = 0; b < rowBytes; b++) {
                    xTilde[b] = (byte) (u[b] ^ r0[b] ^ r1[b]);
                }
            }
            System.arraycopy(r1, 0, v, i * rowBytes, rowBytes);
            for (int k = 0; k < e.length; k++) {
                u[i * rowBytes + count / 8 + k] ^= e[k];
            }
        }
        for (int k = 0; k < e.length; k++) {
            xTilde[count / 8 + k] ^= e[k];
        }
        byte[][] chi = SoftSpoken.chi(sid, u, count / 128);
        byte[] vPrime = new byte[SoftSpoken.KAPPA * Gf128.BYTES];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            System.arraycopy(SoftSpoken.compress(v, i * rowBytes, chi), 0, vPrime, i * Gf128.BYTES, Gf128.BYTES);
        }
        return new SoftSpoken.ExtendMsg(u, SoftSpoken.compress(xTilde, 0, chi), vPrime);
    }

    /** The premise: the other EXTEND passes SoftSpokenOT's check and gives Alice the same correlated OTs. */
    @Test
    void anExtendWithAnotherPadBlockPassesTheOtCheckAndCorrelatesAsBobsOwn() throws DklsAbort {
        int count = 256;
        byte[] choices = random(count / 8);
        Scalar[][] alpha = new Scalar[count][1];
        for (Scalar[] row : alpha) {
            row[0] = C.randomScalar(RNG);
        }
        var b1 = SoftSpokenReceiver.extend(shared[0], sessionId, choices, count, 1, RNG);
        SoftSpoken.ExtendMsg other = withAnotherPadBlock(shared[0], sessionId, b1.message(), count);
        assertFalse(Arrays.equals(b1.message().u(), other.u()), "the EXTEND bytes differ");
        var a1 = SoftSpokenSender.respond(shared[1], sessionId, other, alpha);
        CotOutput bob = SoftSpokenReceiver.finish(b1.state(), a1.message());
        for (int j = 0; j < count; j++) {
            Scalar expected = ((choices[j >>> 3] >>> (j & 7)) & 1) == 1 ? alpha[j][0] : C.scalarOf(0);
            assertEquals(expected, C.scalarAdd(a1.state().share(j, 0), bob.share(j, 0)), "OT " + j);
        }
    }

    /** Alice answered another EXTEND than Bob sent: θ differs between the sides and Bob's check fails. */
    @Test
    void aMultiplicationWhoseSidesSawDifferentExtendBytesFailsItsCheck() throws DklsAbort {
        PairwiseSetupOutput bob = shared[0].copy();
        Scalar[] a = {C.randomScalar(RNG), C.randomScalar(RNG)};
        var b1 = RvoleReceiver.start(bob, sessionId, a.length, RNG);
        SoftSpoken.ExtendMsg other = withAnotherPadBlock(bob, sessionId, b1.message(), Rvole.XI);
        var a1 = RvoleSender.respond(shared[1], sessionId, other, a, RNG);
        DklsAbort e = assertThrows(DklsAbort.class, () -> RvoleReceiver.finish(b1.state(), a1.message()));
        assertEquals(new DklsError.MultiplicationCheck(Q), e.error());
        assertFalse(bob.isUsable());
    }

    @Test
    void thetaAndTheTranscriptChangeWithTheExtendBytesAndWithTau() {
        byte[] sid = random(32);
        byte[] tau = random(64);
        SoftSpoken.ExtendMsg m = new SoftSpoken.ExtendMsg(random(96), random(16), random(32));
        byte[] u = m.u();
        u[95] ^= 1;
        SoftSpoken.ExtendMsg changed = new SoftSpoken.ExtendMsg(u, m.wPrime(), m.vPrime());
        byte[] t = Rvole.transcript(sid, Rvole.extendDigest(sid, m), tau);
        assertArrayEquals(t, Rvole.transcript(sid, Rvole.extendDigest(sid,
                new SoftSpoken.ExtendMsg(m.u(), m.wPrime(), m.vPrime())), tau), "the same messages, the same T");
        byte[] tOther = Rvole.transcript(sid, Rvole.extendDigest(sid, changed), tau);
        assertNotEquals(Rvole.theta(sid, t, 1)[0], Rvole.theta(sid, tOther, 1)[0], "one bit of u changes θ");
        byte[] tau2 = tau.clone();
        tau2[0] ^= 1;
        assertNotEquals(Rvole.theta(sid, t, 1)[0],
                Rvole.theta(sid, Rvole.transcript(sid, Rvole.extendDigest(sid, m), tau2), 1)[0], "τ still binds θ");
    }
}
