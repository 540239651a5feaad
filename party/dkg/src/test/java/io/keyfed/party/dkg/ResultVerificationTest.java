package io.keyfed.party.dkg;

import static io.keyfed.party.dkg.Harness.expectAbort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.Ed25519Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.Round1Package;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import io.keyfed.party.dkg.secret.SecretShare;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Never release an output that was not verified": {@link Dkg#finish} checks the result itself (Y and
 * every Y_ℓ not the identity, Y_i == s_i·G) after every share has passed its commitment check, and
 * aborts instead of returning. The attacks below get past every earlier check:
 * <ul>
 *   <li>a rogue party 2 of a 2-of-2 run that knows party 1's a_1,0 (possible only in a test: the proof of
 *       knowledge stops it in a real run) picks its own polynomial so that the key or a verification share
 *       is the identity, with a valid proof, a consistent echo and shares that match its commitments;</li>
 *   <li>a Round2State whose own share f_i(i) was corrupted in memory.</li>
 * </ul>
 */
class ResultVerificationTest {

    static Stream<Curve> curves() {
        return Stream.of(Secp256k1Curve.INSTANCE, Ed25519Curve.INSTANCE);
    }

    @ParameterizedTest
    @MethodSource("curves")
    void identityGroupKeyIsNeverReleased(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 2);
        // f_2(x) = −a_1,0 + a_2,1·x, so Y = φ_1,0 + φ_2,0 = O
        Scalar a20 = c.scalarNegate(h.s1[1].polynomial.coefficient(0));
        Scalar a21 = c.randomScalar(Harness.RNG);
        DkgError.InconsistentResult e = expectAbort(DkgError.InconsistentResult.class, DkgError.UNATTRIBUTABLE,
                () -> finishAgainstRogue(h, a20, a21));
        assertTrue(e.toString().contains("group key"), e.toString());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void identityVerificationShareIsNeverReleased(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 2);
        // Y_2 = (a_1,0 + a_2,0)·G + 2·(a_1,1 + a_2,1)·G = O with a_2,1 = −(a_1,0 + a_2,0)/2 − a_1,1
        Scalar a10 = h.s1[1].polynomial.coefficient(0);
        Scalar a11 = h.s1[1].polynomial.coefficient(1);
        Scalar a20 = c.randomScalar(Harness.RNG);
        Scalar half = TestSupport.scalar(c, c.order().add(BigInteger.ONE).shiftRight(1)); // 1/2 mod q
        Scalar a21 = c.scalarNegate(c.scalarMulAdd(c.scalarAdd(a10, a20), half, a11));
        DkgError.InconsistentResult e = expectAbort(DkgError.InconsistentResult.class, DkgError.UNATTRIBUTABLE,
                () -> finishAgainstRogue(h, a20, a21));
        assertTrue(e.toString().contains("verification share 2"), e.toString());
    }

    @ParameterizedTest
    @MethodSource("curves")
    void ownShareThatDoesNotMatchItsVerificationShareIsNeverReleased(Curve c) throws Exception {
        Harness h = new Harness(c, 2, 3).echoAll().round2All();
        Round2State s = h.s2[2];
        Scalar wrong = c.scalarAdd(s.ownShare.value(), c.scalarOf(1));
        Round2State corrupted = new Round2State(s.params, new SecretShare(c, 2, wrong), s.packages);
        expectAbort(DkgError.InconsistentResult.class, 2, () -> Dkg.finish(corrupted, h.inbox2(2)));
        // the untouched state finishes: the abort came from the corrupted share alone
        assertEquals(c.mulBase(Dkg.finish(s, h.inbox2(2)).secretShare().value()),
                Dkg.finish(h.s2[1], h.inbox2(1)).publicKeyPackage().verificationShare(2));
    }

    /**
     * Runs honest party 1 of {@code h} (2 of 2) against a party 2 whose polynomial is a20 + a21·x: a valid
     * round-1 package and proof, the echo party 1 expects, and the share f_2(1) that matches the commitments.
     */
    static DkgResult finishAgainstRogue(Harness h, Scalar a20, Scalar a21) throws DkgAbort {
        Curve c = h.curve;
        List<GroupElement> cs = List.of(c.mulBase(a20), c.mulBase(a21));
        Scalar k = c.randomScalar(Harness.RNG);
        GroupElement r = c.mulBase(k);
        Scalar mu = c.scalarMulAdd(a20, Dkg.challenge(c, h.sid, 2, cs.get(0), r), k);
        Round1Package rogue = new Round1Package(c, 2, h.sid, cs, r, mu);
        SignedRound1Package signedRogue = h.signed(rogue);
        Dkg.EchoOutput e1 = h.echoStep(1, List.of(new Inbound<>(2, signedRogue)));
        EchoPackage e2 = new EchoPackage(c, 2, h.sid, List.of(
                new EchoPackage.Entry(Dkg.round1Digest(h.sid, h.p1[1]), h.sig1[1]),
                new EchoPackage.Entry(Dkg.round1Digest(h.sid, rogue), signedRogue.signature())));
        Dkg.Round2Output o1 = Dkg.round2(e1.state(), List.of(new Inbound<>(2, e2)));
        Round2Package share = new Round2Package(c, 2, 1, h.sid, c.scalarMulAdd(a21, c.scalarOf(1), a20));
        return Dkg.finish(o1.state(), List.of(new Inbound<>(2, share)));
    }
}
