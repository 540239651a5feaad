package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Round 3 and the combination of {@link DklsSign}: the checks, the signature shares, low-S, verification. */
final class SignRound3 {
    private static final Curve C = Vsot.CURVE;

    private SignRound3() {}

    static Step<SignState, SignMessages.SignatureShare> run(SignState s, List<SignMessages.Round2P2p> in)
            throws DklsAbort {
        Map<Integer, SignMessages.Round2P2p> byPeer = new HashMap<>();
        for (SignMessages.Round2P2p m : in) {
            if (!DklsSign.isPeer(s, m.from()) || m.to() != s.self || byPeer.put(m.from(), m) != null) {
                throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(m.from()));
            }
        }
        Scalar u = C.scalarMul(s.k, s.phi);
        Scalar v = C.scalarMul(s.x, s.phi);
        GroupElement sumX = C.mulBase(s.x);
        GroupElement groupR = EcdsaMath.decodePoint(s.bigR, s.self, "own R");
        for (int j : s.signers) {
            if (j == s.self) {
                continue;
            }
            SignMessages.Round2P2p m = byPeer.get(j);
            if (m == null) {
                throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(j));
            }
            // the multiplication's own check (DKLs23 §5.2); a failure marks the setup unusable and names j
            RvoleOutput d = RvoleReceiver.finish(s.receivers.get(j), m.mult());
            try {
                // Commitment check. DKLs23 Protocol 3.6 step 8, quoted: "On receiving (opening,
                // Pj∥Pi∥sid∥sigid, Rj) from F_Com"; F_Com is realised as §3.1 says, quoted: "the commitment is
                // the image under the oracle of the committed value concatenated with a salt of length 2λc, and
                // the decommitment is simply the committed value plus the salt." So R_j must open the
                // commitment j sent in round 1, before it saw anyone else's R. (Source of the quotations: see
                // the module README, "Quotations".)
                if (m.salt().length != 32 || !MessageDigest.isEqual(
                        DklsSign.commitment(s.sessionId, j, m.bigR(), m.salt()), s.commitments.get(j))) {
                    throw new DklsAbort(new DklsError.BadCommitmentOpening(j));
                }
                // Every signer must have seen the same round-1 commitments (no equivocation).
                if (!MessageDigest.isEqual(m.commitmentsDigest(), s.commitmentsDigest)) {
                    throw new DklsAbort(new DklsError.InconsistentCommitments(DklsError.UNATTRIBUTABLE, j));
                }
                GroupElement bigRj = EcdsaMath.decodePoint(m.bigR(), j, "R");
                GroupElement bigXj = EcdsaMath.decodePoint(m.bigX(), j, "X");
                GroupElement gamma0 = EcdsaMath.decodePoint(m.gamma0(), j, "Γ_0");
                GroupElement gamma1 = EcdsaMath.decodePoint(m.gamma1(), j, "Γ_1");
                // Γ checks. DKLs23 Protocol 3.6 step 8, quoted: "for every j ∈ P−i, Pi checks whether
                //   χi,j · Rj − Γu j,i = du i,j · G
                //   χi,j · pkj − Γv j,i = dv i,j · G"
                // Here in sl-dkls23's form: ψ = φ_i − χ turned the random-input VOLE into one with input φ_i, so
                // the checks read Γ_1 + d_1·G = φ_i·R_j and Γ_0 + d_0·G = φ_i·X_j (pk_j = X_j). A failure
                // means j fed the multiplication other inputs than its nonce and key share.
                boolean ok0 = C.add(gamma0, C.mulBase(d.share(0))).equals(C.mulSecret(bigXj, s.phi));
                boolean ok1 = C.add(gamma1, C.mulBase(d.share(1))).equals(C.mulSecret(bigRj, s.phi));
                if (!(ok0 & ok1)) {
                    // Protocol 3.6 step 8, quoted: if "any of the aforementioned equations do not hold for
                    // some j ∈ P−i", Pi "does not participate in any future signature signing sessions
                    // involving Pj" (here: until a fresh pairwise setup replaces the retired one).
                    s.setups.get(j).markUnusable(j);
                    throw new DklsAbort(new DklsError.GammaCheck(j));
                }
                Scalar[] c = s.senderShares.get(j);
                u = addAll(u, c[1], d.share(1));
                v = addAll(v, c[0], d.share(0));
                sumX = C.add(sumX, bigXj);
                groupR = C.add(groupR, bigRj);
            } finally {
                d.destroy();
            }
        }
        // Key-share sum. DKLs23 Protocol 3.6 step 8, quoted: "and whether Σ_{k∈P} pkk = pk". The additive
        // shares the signers multiplied with are shares of the group key. A failure cannot be pinned on one
        // signer.
        if (!sumX.equals(s.publicKey)) {
            throw new DklsAbort(new DklsError.KeyShareSum(DklsError.UNATTRIBUTABLE));
        }
        if (C.isIdentity(groupR)) {
            throw new DklsAbort(new DklsError.InvalidSignature(DklsError.UNATTRIBUTABLE));
        }
        s.groupR = groupR;
        Scalar r = EcdsaMath.rOf(groupR);
        Scalar m = C.scalarReduce(s.digest);
        Scalar w = C.scalarMulAdd(r, v, C.scalarMul(m, s.phi));
        SignMessages.SignatureShare share =
                new SignMessages.SignatureShare(s.self, C.encodeScalar(u), C.encodeScalar(w));
        u.destroy();
        v.destroy();
        w.destroy();
        return new Step<>(s, share);
    }

    private static Scalar addAll(Scalar acc, Scalar a, Scalar b) {
        Scalar t = C.scalarAdd(acc, a);
        Scalar out = C.scalarAdd(t, b);
        acc.destroy();
        t.destroy();
        return out;
    }

    static SignMessages.EcdsaSignature combine(SignState s, List<SignMessages.SignatureShare> shares)
            throws DklsAbort {
        Map<Integer, SignMessages.SignatureShare> byId = new HashMap<>();
        for (SignMessages.SignatureShare sh : shares) {
            if (!s.signers.contains(sh.from()) || byId.put(sh.from(), sh) != null) {
                throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(sh.from()));
            }
        }
        Scalar sumU = C.scalarOf(0);
        Scalar sumW = C.scalarOf(0);
        for (int j : s.signers) {
            SignMessages.SignatureShare sh = byId.get(j);
            if (sh == null) {
                throw new DklsAbort(new DklsError.MissingOrUnexpectedMessage(j));
            }
            try {
                sumU = C.scalarAdd(sumU, C.decodeScalar(sh.u()));
                sumW = C.scalarAdd(sumW, C.decodeScalar(sh.w()));
            } catch (InvalidEncodingException e) {
                throw new DklsAbort(new DklsError.MalformedMessage(j, "signature share is not canonical"));
            }
        }
        Scalar r = EcdsaMath.rOf(s.groupR);
        Scalar sig = C.scalarMul(sumW, EcdsaMath.invert(sumU));
        int recId = (EcdsaMath.yOdd(s.groupR) ? 1 : 0) | (EcdsaMath.xOverflows(s.groupR) ? 2 : 0);
        if (EcdsaMath.isHigh(sig)) {
            // low-S (BIP-146, EIP-2): (r, n − s) is the same signature for the nonce −k, so y flips
            sig = C.scalarNegate(sig);
            recId ^= 1;
        }
        // Verification before release. DKLs23 Protocol 3.6 step 10, quoted: Pi "outputs (signature, sid,
        // sigid, (s, rx)) to the environment if and only if ECDSAVerify(G, pk, m, (s, rx)) = 1; otherwise, Pi
        // outputs (failure, sid, sigid)." A tampered share of the signature (u_j, w_j) fails here, and
        // nothing in the protocol says whose it was.
        if (!EcdsaMath.verify(s.publicKey, s.digest, r, sig)) {
            throw new DklsAbort(new DklsError.InvalidSignature(DklsError.UNATTRIBUTABLE));
        }
        return new SignMessages.EcdsaSignature(C.encodeScalar(r), C.encodeScalar(sig), recId);
    }
}
