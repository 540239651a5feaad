package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The SoftSpokenOT sender (Alice, holder of Δ and of the correlation inputs α): one step, from the
 * receiver's EXTEND message to its own shares and the COT message; see {@link SoftSpoken}. Stateless
 * between sessions: Δ lives in the pairwise setup (its base-OT choice bits), which is why a failed check
 * marks that setup unusable.
 */
public final class SoftSpokenSender {
    private SoftSpokenSender() {}

    /**
     * Checks the receiver's extension (the SoftSpokenOT consistency check) and, if it holds, correlates
     * the OTs with {@code inputs} ({@code count} rows of {@code width} scalars, owned by the caller).
     * On a failed check the setup is marked unusable and the receiver named.
     */
    public static Step<CotOutput, SoftSpoken.CotMsg> respond(PairwiseSetupOutput setup, byte[] sessionId,
            SoftSpoken.ExtendMsg msg, Scalar[][] inputs) throws DklsAbort {
        int count = inputs.length;
        int width = count == 0 ? 0 : inputs[0].length;
        SoftSpoken.checkBatch(count, width);
        Vsot.checkSid(sessionId);
        OtReceiverOutput base = setup.asReceiver();
        int bob = setup.peer();
        byte[] sid = SoftSpoken.sid(sessionId, setup.setupId(), setup.self(), bob);
        int rowBytes = (count + SoftSpoken.PAD_BITS) / 8;
        byte[] u = msg.u();
        byte[] wPrime = msg.wPrime();
        byte[] vPrime = msg.vPrime();
        if (u.length != SoftSpoken.KAPPA * rowBytes || wPrime.length != Gf128.BYTES
                || vPrime.length != SoftSpoken.KAPPA * Gf128.BYTES) {
            throw new DklsAbort(new DklsError.MalformedMessage(bob, "extension message does not have the shape of "
                    + count + " OTs"));
        }

        // w_i = r_{i,ω_i} ⊕ Δ_i·u_i with Δ_i = 1 ⊕ ω_i: Alice knows the PRG output of the pad she chose
        byte[] w = new byte[SoftSpoken.KAPPA * rowBytes];
        byte[] delta = new byte[SoftSpoken.KAPPA_BYTES];
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            int d = 1 ^ base.choice(i);
            byte mask = (byte) -d;
            delta[i >>> 3] |= (byte) (d << (i & 7));
            byte[] r = SoftSpoken.prg(sid, i, base.pad(i), rowBytes);
            for (int b = 0; b < rowBytes; b++) {
                w[i * rowBytes + b] = (byte) (r[b] ^ (mask & u[i * rowBytes + b]));
            }
            Arrays.fill(r, (byte) 0);
        }

        // The SoftSpokenOT consistency check (Roy 2022, the subspace-VOLE consistency check, here with
        // k = 1 and the repetition code), paraphrased: Roy's own text was not found in a readable source.
        // The challenges follow DKLs23 §5.1, quoted: "we compute (χ1, . . ., χm) ←$ H(u1, . . ., uκ)". With
        // challenges χ derived from the receiver's whole message u, every row must satisfy
        // Σ χ_j·w_{i,j} + w_{i,m} = v'_i + Δ_i·w'. A receiver whose rows u_i encode different choice vectors
        // fails it except with probability about 2^-128, unless it guesses the Δ_i of the rows it changed.
        // Every row is checked before deciding, and no row index is reported: the index of a failing row
        // would say which Δ_i are 1.
        byte[][] chi = SoftSpoken.chi(sid, u, count / 128);
        boolean consistent = true;
        for (int i = 0; i < SoftSpoken.KAPPA; i++) {
            byte[] q = SoftSpoken.compress(w, i * rowBytes, chi);
            int d = (delta[i >>> 3] >>> (i & 7)) & 1;
            byte[] expected = Hash.select(d, SoftSpoken.slice16(vPrime, i * Gf128.BYTES),
                    Hash.xor(SoftSpoken.slice16(vPrime, i * Gf128.BYTES), wPrime));
            consistent &= MessageDigest.isEqual(q, expected);
        }
        if (!consistent) {
            Arrays.fill(w, (byte) 0);
            Arrays.fill(delta, (byte) 0);
            // DKLs23 (and the issue): after a failed OT check the pair's setup must not be used again;
            // retrying over the same Δ would let the receiver learn Δ bit by bit.
            setup.markUnusable(bob);
            throw new DklsAbort(new DklsError.OtConsistencyCheck(bob));
        }

        Scalar[][] mine = new Scalar[count][width];
        byte[] tau = new byte[count * width * 32];
        for (int j = 0; j < count; j++) {
            byte[] zeta = SoftSpoken.column(w, rowBytes, j);
            byte[] zetaDelta = Hash.xor(zeta, delta);
            for (int c = 0; c < width; c++) {
                Scalar h0 = SoftSpoken.hq(sid, j, c, zeta);
                Scalar h1 = SoftSpoken.hq(sid, j, c, zetaDelta);
                Scalar minusH0 = SoftSpoken.C.scalarNegate(h0);
                Scalar diff = SoftSpoken.C.scalarAdd(h1, minusH0);
                Scalar t = SoftSpoken.C.scalarAdd(diff, inputs[j][c]);
                byte[] enc = SoftSpoken.C.encodeScalar(t);
                System.arraycopy(enc, 0, tau, (j * width + c) * 32, 32);
                mine[j][c] = h0;
                h1.destroy();
                minusH0.destroy();
                diff.destroy();
                t.destroy();
            }
            Arrays.fill(zeta, (byte) 0);
            Arrays.fill(zetaDelta, (byte) 0);
        }
        Arrays.fill(w, (byte) 0);
        Arrays.fill(delta, (byte) 0);
        return new Step<>(new CotOutput(mine), new SoftSpoken.CotMsg(tau));
    }
}
