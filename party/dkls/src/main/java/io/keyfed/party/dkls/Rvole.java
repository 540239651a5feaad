package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;

/**
 * The OT-based random vector OLE of DKLs23 (ePrint 2023/765, §5.2), the two-party multiplication the
 * signing uses, over {@link SoftSpoken} correlated OTs. The sender (Alice) has inputs a_1..a_l; the
 * receiver (Bob) ends with a random b; they end with additive shares c_i + d_i = a_i·b.
 *
 * <pre>
 * Bob:   random β ∈ {0,1}^ξ (ξ = 1408, see {@link #XI}), b = Σ_j β_j·g_j with the public gadget g_j = H_q(sid, j);
 *        SoftSpokenOT receiver with choices β, OT width l + 1                     EXTEND(u, w', v') →
 * Alice: random η; every OT j correlates (a_1..a_l, η): t^A + t^B = β_j·(a, η)
 *        T = H(sid, H(sid, u, w', v'), τ)   (the whole OT-extension transcript)
 *        θ_i = H_q(sid, T, i);  η' = η + Σ θ_i·a_i
 *        μ = H(sid, T, {−(Σ_i θ_i·t^A_{j,i} + t^A_{j,l})}_j);  c_i = Σ_j g_j·t^A_{j,i}   ← (τ, η', μ)
 * Bob:   T from the EXTEND he sent and the τ he got;
 *        check μ = H(sid, T, {Σ_i θ_i·t^B_{j,i} + t^B_{j,l} − β_j·η'}_j)  (else abort, naming Alice);
 *        d_i = Σ_j g_j·t^B_{j,i}
 * </pre>
 * The check's challenge θ (and the hash μ) are bound to both messages of the OT extension: Bob's EXTEND (by a
 * digest Bob keeps from step 1 and Alice computes from what she received) and Alice's correlation τ. Two sides
 * that saw different EXTEND bytes derive different θ and fail the check, even where SoftSpokenOT's own check
 * and the OT outputs would agree (e.g. an EXTEND with another random pad block). The gadget g is still fixed
 * from the session id alone (see {@link #XI}).
 * If Alice correlates OT j with another vector than (a, η), row j of Bob's check is off exactly when
 * β_j = 1: an abort reveals one bit of β, which the redundant encoding (ξ − κ extra bits) keeps from
 * revealing b; a failed check still marks the setup unusable.
 */
public final class Rvole {
    /**
     * ξ: OTs per multiplication, a multiple of 128 (SoftSpokenOT's batch). DKLs23 sets ξ = κ + 2·λ_s (512 at
     * λ_s = 128), from the leftover hash lemma applied as if the gadget g and Bob's choices β were independent.
     * Asharov (ePrint 2026/976, "Revisiting DKLs Threshold ECDSA") shows that bound unsound when g is fixed before
     * β, as here (g comes from the session id), because a cheating sender picks its selective-failure pattern
     * after seeing g; keeping the paper's structure then needs about 1400 OTs at statistical security 60 (as
     * a secondary source summarises the paper's analysis; the paper itself was not read here). 1408 = 11·128 is
     * that regime. The paper's Variant II (g from a random oracle over the sender's message, with its modified
     * signing) would need about 700. See the module README, "Known gaps".
     */
    public static final int XI = 11 * 128;

    private Rvole() {}

    /** Alice → Bob: the SoftSpokenOT correlation τ, η' (one scalar) and μ (32 bytes). */
    public record SenderMsg(SoftSpoken.CotMsg cot, byte[] etaPrime, byte[] mu) {
        public SenderMsg {
            etaPrime = etaPrime.clone();
            mu = mu.clone();
        }

        @Override
        public byte[] etaPrime() {
            return etaPrime.clone();
        }

        @Override
        public byte[] mu() {
            return mu.clone();
        }
    }

    /** g_j, public. */
    static Scalar gadget(byte[] sid, int j) {
        return SoftSpoken.hq(sid, j, 0, Hash.of("rvole/gadget"));
    }

    /** H(sid, u, w', v'): the digest of Bob's EXTEND message that both sides hold. */
    static byte[] extendDigest(byte[] sid, SoftSpoken.ExtendMsg extend) {
        return Hash.of("rvole/extend", sid, extend.u(), extend.wPrime(), extend.vPrime());
    }

    /** T = H(sid, H(EXTEND), τ): the whole OT-extension transcript, which θ and μ are bound to. */
    static byte[] transcript(byte[] sid, byte[] extendDigest, byte[] tau) {
        return Hash.of("rvole/transcript", sid, extendDigest, tau);
    }

    /** θ_1..θ_l, from the transcript T (both EXTEND and the whole correlation τ). */
    static Scalar[] theta(byte[] sid, byte[] transcript, int l) {
        Scalar[] theta = new Scalar[l];
        for (int i = 0; i < l; i++) {
            theta[i] = SoftSpoken.hq(sid, i, 0, Hash.of("rvole/theta", transcript));
        }
        return theta;
    }

    static MessageDigest muDigest(byte[] sid, byte[] transcript) {
        MessageDigest md = Hash.sha256();
        md.update(Hash.of("rvole/mu", sid, transcript));
        return md;
    }

    /** Σ_i θ_i·t_{j,i} + t_{j,l} for row j of a COT output. */
    static Scalar rowCombination(CotOutput t, int j, Scalar[] theta) {
        Scalar acc = t.share(j, theta.length).copy();
        for (int i = 0; i < theta.length; i++) {
            Scalar next = SoftSpoken.C.scalarMulAdd(theta[i], t.share(j, i), acc);
            acc.destroy();
            acc = next;
        }
        return acc;
    }

    /** Σ_j g_j·t_{j,i} for i &lt; l. */
    static Scalar[] gadgetSums(byte[] sid, CotOutput t, int l) {
        Scalar[] out = new Scalar[l];
        for (int i = 0; i < l; i++) {
            out[i] = SoftSpoken.C.scalarOf(0);
        }
        for (int j = 0; j < XI; j++) {
            Scalar g = gadget(sid, j);
            for (int i = 0; i < l; i++) {
                Scalar next = SoftSpoken.C.scalarMulAdd(g, t.share(j, i), out[i]);
                out[i].destroy();
                out[i] = next;
            }
        }
        return out;
    }
}
