package io.keyfed.party.dkls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DKLs18's errata (ePrint 2018/499, July 2023): after an abort of a pair, every concurrent session of that pair
 * stops. Sessions hold relabelled copies of the pair's setups, as the party hands them out; a failed
 * multiplication check in session A retires the setup, and session B of the same pair, past round 1, is refused
 * at its next step with {@link DklsError.SetupRetired}, its secrets wiped and no message released. A session of
 * another pair goes on.
 */
class RetiredSetupSessionsTest {
    static final SecureRandom RNG = new SecureRandom();
    Federation f;

    @BeforeEach
    void setUp() throws DklsAbort {
        f = new Federation(2, 3, RNG);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RNG.nextBytes(b);
        return b;
    }

    /** One signing among {@code signers}, each on its own relabelled copy of its setups, driven round by round. */
    final class Session {
        final List<Integer> signers;
        final byte[] digest = random(32);
        final Map<Integer, SignState> states = new HashMap<>();
        final Map<Integer, Map<Integer, PairwiseSetupOutput>> copies = new HashMap<>();
        final List<SignMessages.Commitment> commitments = new ArrayList<>();
        final List<SignMessages.Round1P2p> direct1 = new ArrayList<>();
        final List<SignMessages.Round2P2p> direct2 = new ArrayList<>();
        final List<SignMessages.SignatureShare> shares = new ArrayList<>();

        Session(List<Integer> signers) throws DklsAbort {
            this.signers = signers;
            byte[] sessionId = random(32);
            for (int i : signers) {
                Map<Integer, PairwiseSetupOutput> mine = new HashMap<>();
                for (int j : signers) {
                    if (j != i) {
                        mine.put(j, f.setups.get(i).get(j).relabelled(i, j));
                    }
                }
                copies.put(i, mine);
                var r1 = DklsSign.round1(i, f.shares[i], f.publicKey, signers, mine, sessionId, digest, RNG);
                states.put(i, r1.state());
                commitments.add(r1.message().broadcast());
                direct1.addAll(r1.message().direct());
            }
        }

        List<SignMessages.Round2P2p> round2(int i) throws DklsAbort {
            List<SignMessages.Round2P2p> out = DklsSign.round2(states.get(i),
                    commitments.stream().filter(c -> c.from() != i).toList(),
                    direct1.stream().filter(m -> m.to() == i).toList(), RNG).message();
            direct2.addAll(out);
            return out;
        }

        SignMessages.SignatureShare round3(int i) throws DklsAbort {
            SignMessages.SignatureShare share =
                    DklsSign.round3(states.get(i), direct2.stream().filter(m -> m.to() == i).toList()).message();
            shares.add(share);
            return share;
        }

        SignMessages.EcdsaSignature finish(int i) throws DklsAbort {
            return DklsSign.finish(states.get(i), shares);
        }

        void allRound2() throws DklsAbort {
            for (int i : signers) {
                round2(i);
            }
        }

        void allRound3() throws DklsAbort {
            for (int i : signers) {
                round3(i);
            }
        }
    }

    /** Session A of the pair {1, 2}: signer 1's multiplication message to 2 carries a wrong μ; 2's round 3 aborts. */
    Session failedSession() throws DklsAbort {
        Session a = new Session(List.of(1, 2));
        a.allRound2();
        a.direct2.replaceAll(m -> {
            if (m.from() != 1) {
                return m;
            }
            byte[] mu = m.mult().mu();
            mu[0] ^= 1;
            return new SignMessages.Round2P2p(1, m.to(), new Rvole.SenderMsg(m.mult().cot(), m.mult().etaPrime(), mu),
                    m.bigR(), m.salt(), m.bigX(), m.gamma0(), m.gamma1(), m.commitmentsDigest());
        });
        DklsAbort e = assertThrows(DklsAbort.class, () -> a.round3(2));
        assertEquals(new DklsError.MultiplicationCheck(1), e.error());
        return a;
    }

    static void assertStopped(DklsAbort e, SignState s, int peer) {
        assertEquals(new DklsError.SetupRetired(peer), e.error());
        assertEquals(DklsError.UNATTRIBUTABLE, e.culprit(), "the session whose check failed gave the blame");
        assertFalse(e.getMessage().contains("culprit participant"), e.getMessage());
        assertTrue(s.isDestroyed(), "the session's secrets are wiped");
    }

    @Test
    void aFailedCheckInOneSessionStopsTheOtherSessionOfThePairAtRoundTwo() throws DklsAbort {
        Session b = new Session(List.of(1, 2));
        Session other = new Session(List.of(2, 3));
        failedSession();
        assertFalse(b.copies.get(2).get(1).isUsable(), "B's copy shares the retirement");
        DklsAbort e = assertThrows(DklsAbort.class, () -> b.round2(2));
        assertStopped(e, b.states.get(2), 1);
        assertTrue(b.direct2.isEmpty(), "nothing of B's round 2 was released");
        assertThrows(IllegalStateException.class, () -> b.round3(2), "the stopped session goes no further");

        // signer 2's session with signer 3 (another pair) is unaffected
        other.allRound2();
        other.allRound3();
        SignMessages.EcdsaSignature sig = other.finish(2);
        assertTrue(IndependentEcdsa.verify(Federation.C.encodePoint(f.publicKey), other.digest, sig.r(), sig.s()));
    }

    @Test
    void aSessionPastRoundTwoIsStoppedAtRoundThreeAndReleasesNoShare() throws DklsAbort {
        Session b = new Session(List.of(1, 2));
        b.allRound2();
        failedSession();
        DklsAbort e = assertThrows(DklsAbort.class, () -> b.round3(2));
        assertStopped(e, b.states.get(2), 1);
        assertTrue(b.shares.isEmpty());
        // signer 1's own copy is of its own setup, which nothing retired: its side is the peer's to stop
        b.round3(1);
        assertEquals(1, b.shares.size());
    }

    @Test
    void aSessionPastRoundThreeIsStoppedBeforeItCombines() throws DklsAbort {
        Session b = new Session(List.of(1, 2));
        b.allRound2();
        b.allRound3();
        failedSession();
        DklsAbort e = assertThrows(DklsAbort.class, () -> b.finish(2));
        assertEquals(new DklsError.SetupRetired(1), e.error());
        assertTrue(b.finish(1).r().length == 32, "signer 1's setup was not retired");
    }

    /** The party's discard marks the copies it handed out: a session holding one stops at its next step. */
    @Test
    void aCopyMarkedUnusableByItsHolderStopsTheSessionHoldingIt() throws DklsAbort {
        Session b = new Session(List.of(1, 2, 3));
        b.copies.get(3).get(1).markUnusable(1); // as PairSetups.discard does with every copy it handed out
        DklsAbort e = assertThrows(DklsAbort.class, () -> b.round2(3));
        assertStopped(e, b.states.get(3), 1);
        assertFalse(f.setups.get(3).get(1).isUsable(), "the copy's original is retired with it");
        assertTrue(f.setups.get(3).get(2).isUsable(), "signer 3's setup with 2 is not");
    }

    /** Signer 1 holds setups with every party (1–2 and 1–3); retiring 1–3 mid-signing does not stop {1, 2}. */
    @Test
    void aSetupRetiredWithAPartyOutsideTheSignersDoesNotStopTheSession() throws DklsAbort {
        Federation.Hooks h = new Federation.Hooks();
        h.round2 = m -> {
            f.setups.get(1).get(3).markUnusable(3); // after signer 1's round 2, before its round 3 and finish
            return m;
        };
        byte[] digest = random(32);
        SignMessages.EcdsaSignature sig = f.sign(List.of(1, 2), digest, h);
        assertFalse(f.setups.get(1).get(3).isUsable());
        assertTrue(IndependentEcdsa.verify(Federation.C.encodePoint(f.publicKey), digest, sig.r(), sig.s()));
    }

    @Test
    void aSigningWithASetupAlreadyRetiredIsRefusedAtRoundOneNamingTheFailedChecksCulprit() throws DklsAbort {
        failedSession();
        DklsAbort e = assertThrows(DklsAbort.class, () -> new Session(List.of(1, 2)));
        assertEquals(new DklsError.SetupUnusable(1), e.error());
    }
}
