package io.keyfed.party.pairing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkls.DklsAbort;
import io.keyfed.party.dkls.DklsSign;
import io.keyfed.party.dkls.PairwiseSetupOutput;
import io.keyfed.party.dkls.SignMessages;
import io.keyfed.party.dkls.SignState;
import io.keyfed.party.dkls.Step;

/**
 * TEST ONLY: proves that two parties' pairwise setups correlate by signing with them: a random 2-of-n key dealt as
 * Shamir shares f(i), f(j) (the DKG's form), the three DKLs23 signing rounds between signers i and j, each with its
 * own setup, and BouncyCastle's ECDSA verifier (no KeyFed code) on the result. Setups that do not correlate fail
 * the engine's checks or give a signature that does not verify.
 */
final class TwoPartySigning {
    private static final Curve C = Curve.of(CurveId.SECP256K1);
    private static final X9ECParameters P = CustomNamedCurves.getByName("secp256k1");
    private static final SecureRandom RNG = new SecureRandom();

    private TwoPartySigning() {
    }

    /** Whether {@code a} (signer a.self()) and {@code b} (signer b.self()) sign a random digest together. */
    static boolean signTogether(PairwiseSetupOutput a, PairwiseSetupOutput b) throws DklsAbort {
        int i = a.self();
        int j = b.self();
        Scalar a0 = C.randomScalar(RNG);
        Scalar a1 = C.randomScalar(RNG);
        Scalar si = C.scalarMulAdd(a1, C.scalarOf(i), a0);
        Scalar sj = C.scalarMulAdd(a1, C.scalarOf(j), a0);
        GroupElement y = C.mulBase(a0);
        List<Integer> signers = i < j ? List.of(i, j) : List.of(j, i);
        byte[] sid = new byte[32];
        byte[] digest = new byte[32];
        RNG.nextBytes(sid);
        RNG.nextBytes(digest);
        Step<SignState, SignMessages.Round1> ri = DklsSign.round1(i, si, y, signers, Map.of(j, a), sid, digest, RNG);
        Step<SignState, SignMessages.Round1> rj = DklsSign.round1(j, sj, y, signers, Map.of(i, b), sid, digest, RNG);
        var r2i = DklsSign.round2(ri.state(), List.of(rj.message().broadcast()), rj.message().direct(), RNG);
        var r2j = DklsSign.round2(rj.state(), List.of(ri.message().broadcast()), ri.message().direct(), RNG);
        var r3i = DklsSign.round3(r2i.state(), r2j.message());
        var r3j = DklsSign.round3(r2j.state(), r2i.message());
        SignMessages.EcdsaSignature sig = DklsSign.finish(r3i.state(), List.of(r3i.message(), r3j.message()));
        ECDSASigner v = new ECDSASigner();
        v.init(false, new ECPublicKeyParameters(P.getCurve().decodePoint(C.encodePoint(y)),
                new ECDomainParameters(P.getCurve(), P.getG(), P.getN(), P.getH())));
        return v.verifySignature(digest, new BigInteger(1, sig.r()), new BigInteger(1, sig.s()));
    }

    /**
     * Round 1 of signers {@code a.self()} and {@code b.self()} over a random key, for a test that goes on by hand:
     * {a's step, b's step}.
     */
    static List<Step<SignState, SignMessages.Round1>> round1Together(PairwiseSetupOutput a, PairwiseSetupOutput b)
            throws DklsAbort {
        int i = a.self();
        int j = b.self();
        Scalar a0 = C.randomScalar(RNG);
        Scalar a1 = C.randomScalar(RNG);
        GroupElement y = C.mulBase(a0);
        List<Integer> signers = i < j ? List.of(i, j) : List.of(j, i);
        byte[] sid = new byte[32];
        byte[] digest = new byte[32];
        RNG.nextBytes(sid);
        RNG.nextBytes(digest);
        return List.of(
                DklsSign.round1(i, C.scalarMulAdd(a1, C.scalarOf(i), a0), y, signers, Map.of(j, a), sid, digest, RNG),
                DklsSign.round1(j, C.scalarMulAdd(a1, C.scalarOf(j), a0), y, signers, Map.of(i, b), sid, digest, RNG));
    }
}
