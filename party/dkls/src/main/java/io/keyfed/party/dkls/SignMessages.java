package io.keyfed.party.dkls;

import java.util.List;

/** The public messages of the 3-round signing ({@link DklsSign}). Identifiers are the DKG's 1..n. */
public final class SignMessages {
    private SignMessages() {}

    /** Round 1, broadcast: the commitment H(session, from, R_from, salt) to the signer's nonce point. */
    public record Commitment(int from, byte[] commitment) {
        public Commitment {
            commitment = commitment.clone();
        }

        @Override
        public byte[] commitment() {
            return commitment.clone();
        }
    }

    /** Round 1, to one peer: the multiplication's extension (from as receiver) and ψ = φ_from − b. */
    public record Round1P2p(int from, int to, SoftSpoken.ExtendMsg extend, byte[] psi) {
        public Round1P2p {
            psi = psi.clone();
        }

        @Override
        public byte[] psi() {
            return psi.clone();
        }
    }

    /** What round 1 sends: one broadcast and one message per peer. */
    public record Round1(Commitment broadcast, List<Round1P2p> direct) {
        public Round1 {
            direct = List.copyOf(direct);
        }
    }

    /**
     * Round 2, to one peer: the multiplication's sender message (from as sender, inputs x_from and k_from),
     * the opening (R_from, salt) of its commitment, X_from = x_from·G, Γ_0 and Γ_1 (its multiplication
     * shares times G) and the digest of all round-1 commitments it saw.
     */
    public record Round2P2p(int from, int to, Rvole.SenderMsg mult, byte[] bigR, byte[] salt, byte[] bigX,
            byte[] gamma0, byte[] gamma1, byte[] commitmentsDigest) {
        public Round2P2p {
            bigR = bigR.clone();
            salt = salt.clone();
            bigX = bigX.clone();
            gamma0 = gamma0.clone();
            gamma1 = gamma1.clone();
            commitmentsDigest = commitmentsDigest.clone();
        }
    }

    /** Round 3, broadcast: the signer's shares u_from and w_from of the signature, s = Σ w / Σ u. */
    public record SignatureShare(int from, byte[] u, byte[] w) {
        public SignatureShare {
            u = u.clone();
            w = w.clone();
        }

        @Override
        public byte[] u() {
            return u.clone();
        }

        @Override
        public byte[] w() {
            return w.clone();
        }
    }

    /** The result: r, s (low-S, 32 bytes big-endian each) and the recovery id (0..3). */
    public record EcdsaSignature(byte[] r, byte[] s, int recoveryId) {
        public EcdsaSignature {
            r = r.clone();
            s = s.clone();
        }

        @Override
        public byte[] r() {
            return r.clone();
        }

        @Override
        public byte[] s() {
            return s.clone();
        }
    }
}
