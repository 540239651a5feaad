package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Scalar;

/**
 * SoftSpokenOT (Roy, CRYPTO 2022; IACR ePrint 2022/192) with k = 1, extending the pairwise setup's
 * {@link PairSetup#BASE_OTS} = κ = 256 base OTs into a batch of ℓ correlated OTs over Z_q for one signing
 * session; not KOS15. Roles as in DKLs23's multiplication:
 * <ul>
 *   <li>the <b>receiver</b> (Bob, {@link SoftSpokenReceiver}) has choice bits x_0..x_{ℓ−1}; it is the
 *       base-OT sender (it holds both pads of each base OT);</li>
 *   <li>the <b>sender</b> (Alice, {@link SoftSpokenSender}) has inputs α_j (vectors of {@code width}
 *       scalars); it is the base-OT receiver, and its base choice bits ω_i give the secret Δ_i = 1 ⊕ ω_i
 *       (with k = 1 the all-but-one OT of {0,1} is the base OT itself: Alice misses exactly r_{Δ_i}).</li>
 * </ul>
 * Protocol, with every PRG and hash bound to the session's id (so the same base OTs give unrelated
 * extensions in different sessions):
 * <pre>
 * Bob:   r_{i,b} = PRG(sid, i, ρ_{i,b}) (ℓ' = ℓ + 128 bits), x̃ = x ‖ 128 random bits
 *        u_i = r_{i,0} ⊕ r_{i,1} ⊕ x̃,   v_i = r_{i,1}
 *        χ_j = H(sid, H(u), j) ∈ GF(2^128)        (j &lt; m = ℓ/128)
 *        w' = Σ χ_j·x̃_j ⊕ x̃_m,  v'_i = Σ χ_j·v_{i,j} ⊕ v_{i,m}          EXTEND(u, w', v') →
 * Alice: w_i = r_{i,1⊕Δ_i} ⊕ Δ_i·u_i  (= v_i ⊕ Δ_i·x̃)
 *        check, for every row i:  Σ χ_j·w_{i,j} ⊕ w_{i,m} = v'_i ⊕ Δ_i·w'   (else abort, naming Bob)
 *        columns: ζ_j = ψ_j ⊕ x_j·Δ, with ψ_j Bob's column of v
 *        t^A_j = H_q(sid, j, ζ_j),  τ_j = H_q(sid, j, ζ_j ⊕ Δ) − H_q(sid, j, ζ_j) + α_j       ← COT(τ)
 * Bob:   t^B_j = x_j·τ_j − H_q(sid, j, ψ_j)          so that t^A_j + t^B_j = x_j·α_j
 * </pre>
 */
public final class SoftSpoken {
    /** Rows: the base OTs of one direction. */
    static final int KAPPA = PairSetup.BASE_OTS;
    static final int KAPPA_BYTES = KAPPA / 8;
    /** The random block appended to the choices so that w' reveals nothing about them. */
    static final int PAD_BITS = 128;
    static final Curve C = Vsot.CURVE;

    private SoftSpoken() {}

    /** Bob → Alice: u (κ rows of ℓ' bits), w' (16 bytes) and v' (κ × 16 bytes). */
    public record ExtendMsg(byte[] u, byte[] wPrime, byte[] vPrime) {
        public ExtendMsg {
            u = u.clone();
            wPrime = wPrime.clone();
            vPrime = vPrime.clone();
        }

        @Override
        public byte[] u() {
            return u.clone();
        }

        @Override
        public byte[] wPrime() {
            return wPrime.clone();
        }

        @Override
        public byte[] vPrime() {
            return vPrime.clone();
        }
    }

    /** Alice → Bob: τ_j for every OT j, {@code width} canonical 32-byte scalars each, concatenated. */
    public record CotMsg(byte[] tau) {
        public CotMsg {
            tau = tau.clone();
        }

        @Override
        public byte[] tau() {
            return tau.clone();
        }
    }

    /** The extension's session id for one direction: both sides derive the same. */
    static byte[] sid(byte[] sessionId, byte[] setupId, int sender, int receiver) {
        return Hash.of("sso/sid", sessionId, setupId, Hash.u32(sender), Hash.u32(receiver));
    }

    static void checkBatch(int count, int width) {
        if (count <= 0 || count % 128 != 0 || width <= 0) {
            throw new IllegalArgumentException("OT count must be a positive multiple of 128, width positive");
        }
    }

    /** PRG(sid, i, seed): {@code bytes} bytes of SHA-256 in counter mode. */
    static byte[] prg(byte[] sid, int row, byte[] seed, int bytes) {
        byte[] out = new byte[bytes];
        for (int ctr = 0, off = 0; off < bytes; ctr++, off += Hash.LEN) {
            byte[] block = Hash.of("sso/prg", sid, Hash.u32(row), seed, Hash.u32(ctr));
            System.arraycopy(block, 0, out, off, Math.min(Hash.LEN, bytes - off));
        }
        return out;
    }

    /** χ_0..χ_{m−1}, from a hash of all of u: Bob commits to u before the challenges exist. */
    static byte[][] chi(byte[] sid, byte[] u, int m) {
        byte[] uHash = Hash.of("sso/u", sid, u);
        byte[][] chi = new byte[m][];
        for (int j = 0; j < m; j++) {
            chi[j] = java.util.Arrays.copyOf(Hash.of("sso/chi", sid, uHash, Hash.u32(j)), Gf128.BYTES);
        }
        return chi;
    }

    /** Σ_{j&lt;m} χ_j·row_j ⊕ row_m over the 128-bit chunks of one row of ℓ' = 128·(m+1) bits at {@code off}. */
    static byte[] compress(byte[] rows, int off, byte[][] chi) {
        int m = chi.length;
        byte[] acc = new byte[Gf128.BYTES];
        for (int j = 0; j < m; j++) {
            Gf128.addInto(acc, Gf128.mul(chi[j], slice16(rows, off + j * Gf128.BYTES)));
        }
        Gf128.addInto(acc, slice16(rows, off + m * Gf128.BYTES));
        return acc;
    }

    static byte[] slice16(byte[] a, int off) {
        return java.util.Arrays.copyOfRange(a, off, off + Gf128.BYTES);
    }

    /** Column j (κ bits, 32 bytes) of a κ × ℓ' bit matrix stored row after row ({@code rowBytes} each). */
    static byte[] column(byte[] rows, int rowBytes, int j) {
        byte[] col = new byte[KAPPA_BYTES];
        for (int i = 0; i < KAPPA; i++) {
            int bit = (rows[i * rowBytes + (j >>> 3)] >>> (j & 7)) & 1;
            col[i >>> 3] |= (byte) (bit << (i & 7));
        }
        return col;
    }

    /** H_q(sid, j, c, column): a uniform scalar (64 hash bytes reduced mod q). */
    static Scalar hq(byte[] sid, int j, int c, byte[] col) {
        byte[] wide = new byte[2 * Hash.LEN];
        System.arraycopy(Hash.of("sso/hq0", sid, Hash.u32(j), Hash.u32(c), col), 0, wide, 0, Hash.LEN);
        System.arraycopy(Hash.of("sso/hq1", sid, Hash.u32(j), Hash.u32(c), col), 0, wide, Hash.LEN, Hash.LEN);
        Scalar s = C.scalarReduce(wide);
        java.util.Arrays.fill(wide, (byte) 0);
        return s;
    }
}
