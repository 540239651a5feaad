package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The 3-round threshold ECDSA signing of DKLs23 (ePrint 2023/765, §3), in the shape sl-dkls23 gives it,
 * over {@link Rvole} multiplications; each Σ below ranges over the other signers j. Signer i:
 * <pre>
 * 1. x_i = λ_i·s_i + ζ_i (ζ: zero shares from the pair seeds); random k_i, φ_i; R_i = k_i·G.
 *    broadcast H(sid, i, R_i, salt_i); to each j: start the multiplication as receiver (random b_ij), ψ = φ_i − b_ij
 * 2. to each j, as multiplication sender with inputs (x_i, k_i): c' = c + (x_i, k_i)·ψ_ji, so that
 *    c'_0 + d_0 = x_i·φ_j and c'_1 + d_1 = k_i·φ_j; send R_i, salt_i, X_i = x_i·G, Γ = c'·G, digest of commitments
 * 3. check each j: the multiplication, the opening of R_j, the digest, Γ_0 + d_0·G = φ_i·X_j and
 *    Γ_1 + d_1·G = φ_i·R_j; then Σ X = Y. R = Σ R_j, r = x(R) mod n.
 *    u_i = k_i·φ_i + Σ (c'_1 + d_1),  v_i = x_i·φ_i + Σ (c'_0 + d_0),  w_i = m·φ_i + r·v_i;  broadcast (u_i, w_i)
 * finish: s = Σ w / Σ u = (m + r·x)/k, normalised to low-S, verified under Y before it is released.
 * </pre>
 * Every step after round 1 (round 2, round 3, finish) first checks that no pairwise setup the session holds was
 * retired since round 1 (DKLs18's errata, ePrint 2018/499, July 2023: after an abort of a pair every concurrent
 * session of the pair stops); rounds 2 and 3 check again before they return their messages.
 */
public final class DklsSign {
    private static final Curve C = Vsot.CURVE;

    private DklsSign() {}

    /**
     * Round 1 from the DKG's own output: checks that the share is a secp256k1 share whose s_i·G is the
     * package's verification share Y_i, and that the signers are at least t identifiers of 1..n.
     */
    public static Step<SignState, SignMessages.Round1> round1(SecretShare share, PublicKeyPackage pkg,
            List<Integer> signers, Map<Integer, PairwiseSetupOutput> setups, byte[] sessionId, byte[] digest,
            SecureRandom rng) throws DklsAbort {
        if (share.curve().id() != CurveId.SECP256K1 || pkg.curve().id() != CurveId.SECP256K1) {
            throw new IllegalArgumentException("DKLs23 signs with secp256k1 keys only");
        }
        int i = share.identifier();
        if (i < 1 || i > pkg.n() || !C.mulBase(share.value()).equals(pkg.verificationShare(i))) {
            throw new IllegalArgumentException("the share of participant " + i
                    + " does not match the key package's verification share Y_" + i);
        }
        if (signers.size() < pkg.threshold()) {
            throw new IllegalArgumentException("need " + pkg.threshold() + " signers, got " + signers.size());
        }
        for (int j : signers) {
            if (j < 1 || j > pkg.n()) {
                throw new IllegalArgumentException("signer " + j + " is not a participant 1.." + pkg.n());
            }
        }
        return round1(i, share.value(), pkg.groupKey(), signers, setups, sessionId, digest, rng);
    }

    /**
     * Round 1 for signer {@code self} with its DKG share s_i, the group key, the sorted signer set, one
     * usable pairwise setup per other signer, the 32-byte signing-session id and the 32-byte digest.
     */
    public static Step<SignState, SignMessages.Round1> round1(int self, Scalar share, GroupElement publicKey,
            List<Integer> signers, Map<Integer, PairwiseSetupOutput> setups, byte[] sessionId, byte[] digest,
            SecureRandom rng) throws DklsAbort {
        Vsot.checkSid(sessionId);
        if (digest.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        for (int k = 1; k < signers.size(); k++) {
            if (signers.get(k) <= signers.get(k - 1)) {
                throw new IllegalArgumentException("signers must be sorted and distinct");
            }
        }
        if (signers.size() < 2 || !signers.contains(self)) {
            throw new IllegalArgumentException("at least two signers, this one among them");
        }
        for (int j : signers) {
            PairwiseSetupOutput p = setups.get(j);
            if (j != self && (p == null || p.self() != self || p.peer() != j)) {
                throw new IllegalArgumentException("no pairwise setup with signer " + j);
            }
        }
        SignState s = new SignState(self, signers, sessionId, digest, publicKey, setups);
        try {
            return start(s, share, rng);
        } catch (DklsAbort | RuntimeException e) {
            s.destroy();
            throw e;
        }
    }

    private static Step<SignState, SignMessages.Round1> start(SignState s, Scalar share, SecureRandom rng)
            throws DklsAbort {
        int self = s.self;
        byte[] sessionId = s.sessionId;
        s.x = additiveShare(s, share);
        s.k = C.randomScalar(rng);
        s.phi = C.randomScalar(rng);
        s.bigR = C.encodePoint(C.mulBase(s.k));
        s.salt = new byte[32];
        rng.nextBytes(s.salt);
        byte[] commitment = commitment(sessionId, self, s.bigR, s.salt);
        s.commitments.put(self, commitment);
        List<SignMessages.Round1P2p> direct = new ArrayList<>();
        for (int j : s.signers) {
            if (j == self) {
                continue;
            }
            Step<RvoleReceiver, SoftSpoken.ExtendMsg> m = RvoleReceiver.start(s.setups.get(j), sessionId, 2, rng);
            s.receivers.put(j, m.state());
            Scalar psi = C.scalarAdd(s.phi, C.scalarNegate(m.state().b()));
            direct.add(new SignMessages.Round1P2p(self, j, m.message(), C.encodeScalar(psi)));
            psi.destroy();
        }
        return new Step<>(s, new SignMessages.Round1(new SignMessages.Commitment(self, commitment), direct));
    }

    /**
     * Round 2: the others' commitments and the multiplication messages addressed to this signer. Like round 3
     * and {@link #finish}, it first checks that every pairwise setup the session holds is still usable (and
     * again before it returns its messages): one retired since round 1 stops the session with
     * {@link DklsError.SetupRetired}, its secrets wiped and nothing sent.
     */
    public static Step<SignState, List<SignMessages.Round2P2p>> round2(SignState s,
            List<SignMessages.Commitment> commitments, List<SignMessages.Round1P2p> direct, SecureRandom rng)
            throws DklsAbort {
        s.advance(1);
        try {
            s.requireSetupsUsable();
            Map<Integer, SignMessages.Round1P2p> byPeer = new HashMap<>();
            for (SignMessages.Commitment c : commitments) {
                if (!isPeer(s, c.from()) || s.commitments.containsKey(c.from()) || c.commitment().length != 32) {
                    throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(c.from()));
                }
                s.commitments.put(c.from(), c.commitment());
            }
            for (SignMessages.Round1P2p m : direct) {
                if (!isPeer(s, m.from()) || m.to() != s.self || byPeer.put(m.from(), m) != null) {
                    throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(m.from()));
                }
            }
            for (int j : s.signers) {
                if (j != s.self && (!s.commitments.containsKey(j) || !byPeer.containsKey(j))) {
                    throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(j));
                }
            }
            MessageDigest md = Hash.sha256();
            md.update(Hash.of("sign/commitments", s.sessionId));
            s.commitments.forEach((id, c) -> {
                md.update(Hash.u32(id));
                md.update(c);
            });
            s.commitmentsDigest = md.digest();
            byte[] bigX = C.encodePoint(C.mulBase(s.x));
            List<SignMessages.Round2P2p> out = new ArrayList<>();
            for (int j : s.signers) {
                if (j == s.self) {
                    continue;
                }
                SignMessages.Round1P2p m = byPeer.get(j);
                Scalar psi;
                try {
                    psi = C.decodeScalar(m.psi());
                } catch (InvalidEncodingException e) {
                    throw new DklsAbort(new DklsError.MalformedMessage(j, "ψ is not a canonical scalar"));
                }
                Step<RvoleOutput, Rvole.SenderMsg> mult =
                        RvoleSender.respond(s.setups.get(j), s.sessionId, m.extend(), new Scalar[] {s.x, s.k}, rng);
                Scalar c0 = C.scalarMulAdd(s.x, psi, mult.state().share(0));
                Scalar c1 = C.scalarMulAdd(s.k, psi, mult.state().share(1));
                mult.state().destroy();
                psi.destroy();
                s.senderShares.put(j, new Scalar[] {c0, c1});
                out.add(new SignMessages.Round2P2p(s.self, j, mult.message(), s.bigR, s.salt, bigX,
                        C.encodePoint(C.mulBase(c0)), C.encodePoint(C.mulBase(c1)), s.commitmentsDigest));
            }
            s.requireSetupsUsable(); // retired while this round ran: nothing of it is sent
            return new Step<>(s, out);
        } catch (DklsAbort | RuntimeException e) {
            s.destroy();
            throw e;
        }
    }

    /** Round 3: checks every peer's round-2 message, then this signer's share (u_i, w_i) of the signature. */
    public static Step<SignState, SignMessages.SignatureShare> round3(SignState s, List<SignMessages.Round2P2p> in)
            throws DklsAbort {
        s.advance(2);
        try {
            s.requireSetupsUsable();
            Step<SignState, SignMessages.SignatureShare> step = SignRound3.run(s, in);
            s.requireSetupsUsable(); // retired while this round ran: the share is not released
            return step;
        } finally {
            s.destroy();
        }
    }

    /** Combines all signers' shares into the signature; verified under the group key before it is returned. */
    public static SignMessages.EcdsaSignature finish(SignState s, List<SignMessages.SignatureShare> shares)
            throws DklsAbort {
        s.advance(3);
        s.requireSetupsUsable();
        return SignRound3.combine(s, shares);
    }

    static boolean isPeer(SignState s, int id) {
        return id != s.self && s.signers.contains(id);
    }

    static byte[] commitment(byte[] sessionId, int owner, byte[] bigR, byte[] salt) {
        return Hash.of("sign/commitment", sessionId, Hash.u32(owner), bigR, salt);
    }

    /**
     * x_i = λ_i·s_i + ζ_i: the Lagrange-weighted share, re-randomised by the zero share
     * ζ_i = Σ_{j &gt; i} H_q(seed_ij, sid) − Σ_{j &lt; i} H_q(seed_ij, sid), which sums to 0 over the signers
     * (DKLs23 Functionality 3.4). The paper's realisation (§3.1), quoted: a party "evaluates the random oracle on
     * each of its shared seeds concatenated with the next index in sequence, and accumulates the outputs: it
     * subtracts oracle outputs for the party pairs in which it is lower-indexed, and adds oracle outputs for the
     * party pairs in which it is higher-indexed." Here the "next index" is the signing-session id, and the signs
     * are the other way round (lower-indexed adds), which sums to zero all the same.
     */
    static Scalar additiveShare(SignState s, Scalar share) throws DklsAbort {
        Scalar lambda = EcdsaMath.lagrange(s.self, s.signers);
        Scalar x = C.scalarMul(lambda, share);
        for (int j : s.signers) {
            if (j == s.self) {
                continue;
            }
            byte[] seed = s.setups.get(j).zeroSeed();
            Scalar z = SoftSpoken.hq(s.sessionId, 0, 0, Hash.of("sign/zero-share", seed));
            java.util.Arrays.fill(seed, (byte) 0);
            Scalar signed = s.self < j ? z : C.scalarNegate(z);
            Scalar next = C.scalarAdd(x, signed);
            x.destroy();
            z.destroy();
            signed.destroy();
            x = next;
        }
        return x;
    }
}
