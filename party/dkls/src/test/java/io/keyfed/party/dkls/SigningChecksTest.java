package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each check of the signing catches the message it guards, naming the culprit where it can. */
class SigningChecksTest {
    static final Curve C = Curve.of(CurveId.SECP256K1);
    static final SecureRandom RNG = new SecureRandom();
    static final List<Integer> SIGNERS = List.of(1, 2, 3);
    /** For the tests whose abort leaves the setups usable. */
    static Federation shared;

    @BeforeAll
    static void setUp() throws DklsAbort {
        shared = new Federation(3, 3, RNG);
    }

    static byte[] digest() {
        byte[] d = new byte[32];
        RNG.nextBytes(d);
        return d;
    }

    static SignMessages.Round2P2p with(SignMessages.Round2P2p m, byte[] bigR, byte[] salt, byte[] gamma0,
            byte[] digest) {
        return new SignMessages.Round2P2p(m.from(), m.to(), m.mult(), bigR, salt, m.bigX(), gamma0, m.gamma1(), digest);
    }

    @Test
    void aNonceCommitmentOpenedWithAnotherPointIsCaughtNamingTheSigner() {
        Federation.Hooks h = new Federation.Hooks();
        byte[] otherR = C.encodePoint(C.mulBase(C.randomScalar(RNG)));
        h.round2 = m -> m.from() == 2 ? with(m, otherR, m.salt(), m.gamma0(), m.commitmentsDigest()) : m;
        DklsAbort e = assertThrows(DklsAbort.class, () -> shared.sign(SIGNERS, digest(), h));
        assertEquals(new DklsError.BadCommitmentOpening(2), e.error());
    }

    @Test
    void aTamperedShareOfTheSignatureAbortsWithNoSingleCulprit() {
        Federation.Hooks h = new Federation.Hooks();
        h.round3 = m -> {
            if (m.from() != 3) {
                return m;
            }
            byte[] w = m.w();
            w[31] ^= 1;
            return new SignMessages.SignatureShare(m.from(), m.u(), w);
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> shared.sign(SIGNERS, digest(), h));
        assertEquals(new DklsError.InvalidSignature(DklsError.UNATTRIBUTABLE), e.error());
        assertTrue(e.getMessage().contains("signing aborted, no single culprit"), e.getMessage());
    }

    @Test
    void signersThatSawDifferentCommitmentsAbort() {
        Federation.Hooks h = new Federation.Hooks();
        h.round2 = m -> {
            if (m.from() != 1) {
                return m;
            }
            byte[] d = m.commitmentsDigest();
            d[0] ^= 1;
            return with(m, m.bigR(), m.salt(), m.gamma0(), d);
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> shared.sign(SIGNERS, digest(), h));
        assertEquals(new DklsError.InconsistentCommitments(DklsError.UNATTRIBUTABLE, 1), e.error());
    }

    @Test
    void aSignerUsingAnotherKeyShareIsCaughtByTheKeySum() {
        Federation.Hooks h = new Federation.Hooks();
        h.shareOverride.put(2, C.randomScalar(RNG));
        DklsAbort e = assertThrows(DklsAbort.class, () -> shared.sign(SIGNERS, digest(), h));
        assertEquals(new DklsError.KeyShareSum(DklsError.UNATTRIBUTABLE), e.error());
    }

    @Test
    void aMissingRoundTwoMessageNamesItsSender() {
        Federation.Hooks h = new Federation.Hooks();
        h.round2 = m -> m.from() == 3 && m.to() == 1
                ? new SignMessages.Round2P2p(3, 9, m.mult(), m.bigR(), m.salt(), m.bigX(), m.gamma0(), m.gamma1(),
                        m.commitmentsDigest())
                : m;
        DklsAbort e = assertThrows(DklsAbort.class, () -> shared.sign(SIGNERS, digest(), h));
        assertEquals(new DklsError.MissingOrUnexpectedMessage(3), e.error());
    }

    /** Γ_0 from another value: j's multiplication shares do not match its X_j; the pair's setup is retired. */
    @Test
    void multiplicationOutputsInconsistentWithTheKeySharePointAreCaughtAndTheSetupRetired() throws DklsAbort {
        Federation f = new Federation(2, 2, RNG);
        Federation.Hooks h = new Federation.Hooks();
        byte[] otherGamma = C.encodePoint(C.mulBase(C.randomScalar(RNG)));
        h.round2 = m -> m.from() == 2 ? with(m, m.bigR(), m.salt(), otherGamma, m.commitmentsDigest()) : m;
        DklsAbort e = assertThrows(DklsAbort.class, () -> f.sign(List.of(1, 2), digest(), h));
        assertEquals(new DklsError.GammaCheck(2), e.error());
        assertFalse(f.setups.get(1).get(2).isUsable());
        DklsAbort again = assertThrows(DklsAbort.class, () -> f.sign(List.of(1, 2), digest(), new Federation.Hooks()));
        assertEquals(new DklsError.SetupUnusable(2), again.error());
    }

    @Test
    void aWrongMultiplicationCorrelationInSigningIsCaughtNamingTheSender() throws DklsAbort {
        Federation f = new Federation(2, 2, RNG);
        Federation.Hooks h = new Federation.Hooks();
        h.round2 = m -> {
            if (m.from() != 2) {
                return m;
            }
            byte[] eta = m.mult().etaPrime();
            eta[31] ^= 1;
            Rvole.SenderMsg bad = new Rvole.SenderMsg(m.mult().cot(), eta, m.mult().mu());
            return new SignMessages.Round2P2p(2, m.to(), bad, m.bigR(), m.salt(), m.bigX(), m.gamma0(), m.gamma1(),
                    m.commitmentsDigest());
        };
        DklsAbort e = assertThrows(DklsAbort.class, () -> f.sign(List.of(1, 2), digest(), h));
        assertEquals(new DklsError.MultiplicationCheck(2), e.error());
        assertFalse(f.setups.get(1).get(2).isUsable());
    }
}
