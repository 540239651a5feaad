package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;

/**
 * The public messages of the batched "Verified Simplest OT" (VSOT) base OT of DKLs18 (Doerner, Kondi, Lee,
 * shelat; IACR ePrint 2018/499, Protocol 7), the base OT DKLs23 builds on. One run makes {@code count}
 * random 1-out-of-2 OTs of 32-byte strings between a {@link VsotSender} and a {@link VsotReceiver}:
 *
 * <pre>
 * sender                                  receiver
 *   b, B = b·G, proof π of b      KEY →     verify π                          (check 1)
 *                                 ← CHOICES A_k = a_k·G + ω_k·B
 *   ρ0_k = H(k, b·A_k), ρ1_k = H(k, b·(A_k − B))     ρω_k = H(k, a_k·B)
 *   ξ_k = H(H(ρ0_k)) ⊕ H(H(ρ1_k)) CHALLENGES →
 *                                 ← RESPONSES r_k = H(H(ρω_k)) ⊕ ω_k·ξ_k
 *   check r_k = H(H(ρ0_k))                                                   (check 2)
 *   (H(ρ0_k), H(ρ1_k))            OPENINGS →  check H(ρω_k) = opening_ω and
 *                                             ξ_k = H(opening_0) ⊕ H(opening_1)   (check 3)
 * </pre>
 *
 * Every hash is bound to the run's session id and the OT index k. Messages carry no identifiers: the caller
 * routes them, and the states know their peer.
 */
public final class Vsot {
    /** The curve of every base OT: secp256k1 (the module is for ECDSA). */
    static final Curve CURVE = Curve.of(CurveId.SECP256K1);
    static final int POINT = 33;
    static final int PAD = Hash.LEN;

    private Vsot() {}

    /** Round 1, sender → receiver: the sender's key B (compressed) and the proof of knowledge of b. */
    public record KeyMsg(byte[] publicKey, DlogProof proof) {
        public KeyMsg {
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    /** Round 2, receiver → sender: the encoded choices A_0..A_{count−1}, 33 bytes each, concatenated. */
    public record ChoicesMsg(byte[] points) {
        public ChoicesMsg {
            points = points.clone();
        }

        @Override
        public byte[] points() {
            return points.clone();
        }
    }

    /** Round 3, sender → receiver: the challenges ξ_k, 32 bytes each, concatenated. */
    public record ChallengesMsg(byte[] challenges) {
        public ChallengesMsg {
            challenges = challenges.clone();
        }

        @Override
        public byte[] challenges() {
            return challenges.clone();
        }
    }

    /** Round 4, receiver → sender: the responses r_k, 32 bytes each, concatenated. */
    public record ResponsesMsg(byte[] responses) {
        public ResponsesMsg {
            responses = responses.clone();
        }

        @Override
        public byte[] responses() {
            return responses.clone();
        }
    }

    /** Round 5, sender → receiver: the openings H(ρ0_k) ‖ H(ρ1_k), 64 bytes each, concatenated. */
    public record OpeningsMsg(byte[] openings) {
        public OpeningsMsg {
            openings = openings.clone();
        }

        @Override
        public byte[] openings() {
            return openings.clone();
        }
    }

    /** The proof's context: the session id. */
    static byte[] proofContext(byte[] sid) {
        return Hash.of("vsot/proof", sid);
    }

    /** The pad of OT k from the shared point: ρ = H(sid, k, enc(point)). */
    static byte[] pad(byte[] sid, int k, byte[] point) {
        return Hash.of("vsot/pad", sid, Hash.u32(k), point);
    }

    /** The first hash H(ρ), which the sender opens. */
    static byte[] h1(byte[] sid, int k, byte[] pad) {
        return Hash.of("vsot/h1", sid, Hash.u32(k), pad);
    }

    /** The second hash H(H(ρ)), of which the challenge is made. */
    static byte[] h2(byte[] sid, int k, byte[] h1) {
        return Hash.of("vsot/h2", sid, Hash.u32(k), h1);
    }

    static byte[] slice(byte[] all, int k, int len) {
        byte[] out = new byte[len];
        System.arraycopy(all, k * len, out, 0, len);
        return out;
    }

    static void checkSid(byte[] sid) {
        if (sid == null || sid.length != 32) {
            throw new IllegalArgumentException("session id must be 32 bytes");
        }
    }
}
